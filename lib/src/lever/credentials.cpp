// Lever credentials. The OAuth refresh is a small state machine run under the config file
// lock so that two processes sharing a profile never spend the same (rotating) refresh
// token twice and the new refresh token reaches the disk before its access token is used.

#include <pjats/http/secrets.hpp>
#include <pjats/http/url.hpp>
#include <pjats/lever/credentials.hpp>

#include <chrono>
#include <utility>

namespace pjats::lever {

namespace {

std::int64_t system_unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string bearer(const std::string& access_token) {
    return "Bearer " + access_token;
}

Error not_configured(const std::string& profile_name) {
    return with_run_hint(make_error(ErrorKind::auth, "Lever OAuth is not configured in profile '"
                                                         + profile_name + "'"),
                         "configure lever --oauth");
}

// The profile's Lever settings, or an `auth` error when they are gone (e.g. revoked by
// another process since we started).
Result<profile::LeverSettings*> lever_settings(profile::Config& config,
                                               const std::string& profile_name) {
    const auto it = config.profiles.find(profile_name);
    if (it == config.profiles.end() || !it->second.lever
        || it->second.lever->refresh_token.empty()) {
        return not_configured(profile_name);
    }
    return &*it->second.lever;
}

} // namespace

ApiKeyCredentials::ApiKeyCredentials(const std::string& api_key)
    : m_authorization(http::basic_auth(api_key, "")) {
    http::register_secret(api_key);
}

Result<std::string> ApiKeyCredentials::authorization() {
    return m_authorization;
}

Result<std::string> ApiKeyCredentials::refresh_after_unauthorized(const std::string&) {
    return with_run_hint(
        make_error(ErrorKind::auth, "Lever rejected the API key (HTTP 401); check it"),
        "configure lever", "again");
}

void apply_token_set(profile::LeverSettings& settings, const TokenSet& tokens) {
    settings.auth = "oauth";
    settings.access_token = tokens.access_token;
    if (!tokens.refresh_token.empty()) {
        settings.refresh_token = tokens.refresh_token;
    }
    settings.expires_at = tokens.expires_at;
    if (!tokens.scope.empty()) {
        settings.scope = tokens.scope;
    }
}

OAuthCredentials::OAuthCredentials(std::string config_path,
                                   std::string profile_name,
                                   http::Transport& transport,
                                   Clock clock,
                                   std::string auth_url_override)
    : m_config_path(std::move(config_path)),
      m_profile_name(std::move(profile_name)),
      m_transport(transport),
      m_clock(clock ? std::move(clock) : Clock(system_unix_now)),
      m_auth_url_override(std::move(auth_url_override)) {}

void OAuthCredentials::seed(const profile::LeverSettings& stored) {
    std::lock_guard<std::mutex> guard(m_mutex);
    if (stored.access_token.empty() && stored.refresh_token.empty()) {
        return; // load_locked() reports it
    }
    m_access_token = stored.access_token;
    m_refresh_token = stored.refresh_token;
    m_expires_at = stored.expires_at;
    m_loaded = true;
}

void OAuthCredentials::set_client_secret_source(SecretSource source) {
    std::lock_guard<std::mutex> guard(m_mutex);
    m_client_secret = std::move(source);
}

std::int64_t OAuthCredentials::expires_at() const {
    std::lock_guard<std::mutex> guard(m_mutex);
    return m_expires_at;
}

bool OAuthCredentials::usable(const std::string& access_token, std::int64_t expires_at) const {
    if (access_token.empty()) {
        return false;
    }
    // An unknown expiry (0) is trusted until the API answers 401.
    return expires_at == 0 || expires_at > m_clock() + k_refresh_margin_seconds;
}

Status OAuthCredentials::load_locked() {
    if (m_loaded) {
        return {};
    }
    auto config = profile::load_config(m_config_path);
    if (!config) {
        return std::move(config).error();
    }
    const auto it = config->profiles.find(m_profile_name);
    if (it == config->profiles.end() || !it->second.lever
        || (it->second.lever->access_token.empty() && it->second.lever->refresh_token.empty())) {
        return not_configured(m_profile_name);
    }
    m_access_token = it->second.lever->access_token;
    m_refresh_token = it->second.lever->refresh_token;
    m_expires_at = it->second.lever->expires_at;
    m_loaded = true;
    return {};
}

Error OAuthCredentials::remember_locked(Error error) {
    if (error.hint.kind == Hint::Kind::none) {
        error.hint = Hint{Hint::Kind::run, "configure lever --oauth", "again"};
    }
    m_dead = error;
    return error;
}

Result<std::string> OAuthCredentials::authorization() {
    std::lock_guard<std::mutex> guard(m_mutex);
    if (m_dead) {
        return *m_dead; // the grant is dead: no request can bring it back in this run
    }
    PJATS_TRY(load_locked());
    if (usable(m_access_token, m_expires_at)) {
        return bearer(m_access_token);
    }
    return refresh_locked();
}

Result<std::string> OAuthCredentials::refresh_after_unauthorized(const std::string& rejected) {
    std::lock_guard<std::mutex> guard(m_mutex);
    if (m_dead) {
        return *m_dead;
    }
    PJATS_TRY(load_locked());
    if (!m_access_token.empty() && bearer(m_access_token) != rejected) {
        return bearer(m_access_token); // another thread refreshed meanwhile
    }
    // Our token was rejected. refresh_locked() adopts a stored token only when it differs
    // from ours, so the rejected one is never taken back from disk.
    return refresh_locked();
}

bool OAuthCredentials::expired_meanwhile(const std::string& sent) {
    std::lock_guard<std::mutex> guard(m_mutex);
    return !m_access_token.empty() && bearer(m_access_token) == sent && m_expires_at != 0
           && !usable(m_access_token, m_expires_at);
}

Result<std::string> OAuthCredentials::refresh_locked() {
    auto lock = profile::ConfigLock::acquire(m_config_path);
    if (!lock) {
        return std::move(lock).error();
    }
    auto config = profile::load_config(m_config_path);
    if (!config) {
        return std::move(config).error();
    }
    auto found = lever_settings(*config, m_profile_name);
    if (!found) {
        return remember_locked(std::move(found).error()); // revoked or never configured
    }
    profile::LeverSettings& stored = **found;

    // Step 2: another process may have refreshed while we were not holding the lock.
    if (stored.access_token != m_access_token && usable(stored.access_token, stored.expires_at)) {
        m_access_token = stored.access_token;
        m_refresh_token = stored.refresh_token;
        m_expires_at = stored.expires_at;
        return bearer(m_access_token);
    }

    // Step 3: refresh with the refresh token on disk, which is the newest one.
    if (stored.client_id.empty()) {
        return remember_locked(make_error(
            ErrorKind::config, "Lever OAuth client_id is missing in profile '" + m_profile_name + "'"));
    }
    auto secret = m_client_secret ? m_client_secret()
                                  : profile::resolve_secret(k_client_secret_env,
                                                            stored.client_secret_command,
                                                            stored.client_secret,
                                                            "client_secret_command");
    if (!secret) {
        return std::move(secret).error();
    }
    if (secret->value.empty()) {
        return remember_locked(make_error(
            ErrorKind::config,
            std::string("Lever OAuth client secret is missing: set ") + k_client_secret_env
                + " or client_secret_command"));
    }
    const std::string auth_url = !m_auth_url_override.empty() ? m_auth_url_override
                                 : !stored.auth_url.empty()   ? stored.auth_url
                                                              : profile::k_default_lever_auth_url;
    auto tokens = refresh_tokens(
        m_transport, auth_url, stored.client_id, secret->value, stored.refresh_token, m_clock());
    if (!tokens) {
        // The old refresh token stays on disk. The token endpoint refusing the grant or the
        // client (`auth`: invalid_grant, invalid_client, other 4xx) will refuse it again.
        Error error = std::move(tokens).error();
        if (error.kind == ErrorKind::auth) {
            return remember_locked(std::move(error));
        }
        return error;
    }

    // Step 4: persist before use. If this fails the new refresh token is lost, so say so.
    apply_token_set(stored, *tokens);
    auto saved = profile::save_config(m_config_path, *config);
    if (!saved) {
        Error error = std::move(saved).error();
        error.message = "Lever tokens were refreshed but could not be saved (" + error.message
                        + ")";
        error.hint = Hint{Hint::Kind::run, "configure lever --oauth", "again"};
        return error;
    }
    m_access_token = stored.access_token;
    m_refresh_token = stored.refresh_token;
    m_expires_at = stored.expires_at;
    return bearer(m_access_token);
}

} // namespace pjats::lever
