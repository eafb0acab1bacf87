// What `configure` stores: the rules for replacing keys, helper commands and OAuth grants.
#include <pjats/app/configure.hpp>
#include <pjats/http/secrets.hpp>
#include <pjats/lever/credentials.hpp>

#include <utility>

namespace pjats::app {

profile::GreenhouseSettings apply_change(profile::GreenhouseSettings current,
                                         const GreenhouseChange& change) {
    current.email = change.email;
    if (!change.base_url.empty()) {
        current.base_url = change.base_url;
    }
    if (!change.api_key_command.empty()) {
        current.api_key_command = change.api_key_command;
    }
    if (!change.api_key.empty()) {
        current.api_key = change.api_key;
        if (change.api_key_command.empty()) {
            current.api_key_command.clear(); // a stored helper would win over the new key
        }
    }
    return current;
}

profile::LeverSettings apply_change(profile::LeverSettings current, const LeverChange& change) {
    if (!change.base_url.empty()) {
        current.base_url = change.base_url;
    }
    if (!change.auth_url.empty()) {
        current.auth_url = change.auth_url;
    }
    if (!change.perform_as.empty()) {
        current.perform_as = change.perform_as;
        current.perform_as_email.clear();
    }
    if (change.oauth) {
        current.auth = "oauth";
        current.client_id = change.client_id;
        if (!change.client_secret.empty()) {
            current.client_secret = change.client_secret;
        }
        if (!change.client_secret_command.empty()) {
            current.client_secret_command = change.client_secret_command;
        }
        current.api_key.clear();
        return current;
    }
    current.auth = "api_key";
    if (!change.api_key.empty()) {
        current.api_key = change.api_key;
        if (change.api_key_command.empty()) {
            current.api_key_command.clear(); // a stored helper would win over the new key
        }
    }
    if (!change.api_key_command.empty()) {
        current.api_key_command = change.api_key_command;
    }
    current.access_token.clear();
    current.refresh_token.clear();
    current.expires_at = 0;
    return current;
}

Result<std::string> oauth_client_secret(const Settings& settings,
                                        const profile::LeverSettings& lever,
                                        const LeverChange& change) {
    if (!change.client_secret.empty()) {
        return change.client_secret;
    }
    std::string secret = settings.env(lever::k_client_secret_env);
    if (!secret.empty()) {
        http::register_secret(secret);
    } else {
        // The command and the stored secret of the settings being configured.
        auto resolved = profile::resolve_secret(
            "", lever.client_secret_command, lever.client_secret, "client_secret_command");
        if (!resolved) {
            return std::move(resolved).error();
        }
        secret = std::move(resolved->value);
    }
    if (secret.empty()) {
        return make_error(ErrorKind::usage,
                          "no Lever client secret: pass it with --client-secret-stdin or "
                          "--client-secret-file, or set PJ_ATS_LEVER_CLIENT_SECRET");
    }
    return secret;
}

Status check_api_key_given(const Settings& settings,
                           const profile::LeverSettings& current,
                           const LeverChange& change) {
    if (change.api_key.empty() && change.api_key_command.empty() && current.api_key.empty()
        && !settings.env_set("PJ_ATS_LEVER_API_KEY")) {
        return make_error(ErrorKind::usage,
                          "no Lever API key given: pass it with --api-key-stdin or "
                          "--api-key-file, or use --oauth");
    }
    return {};
}

} // namespace pjats::app
