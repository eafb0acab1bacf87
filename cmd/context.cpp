#include "context.hpp"

#include "status/report.hpp"

#include <pjats/http/redact.hpp>
#include <pjats/http/secrets.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

namespace pjats::cli {

bool Context::interactive() const {
    if (global.no_input) {
        return false;
    }
    const char* ci = std::getenv("CI");
    if (ci != nullptr && *ci != '\0') {
        return false;
    }
    return isatty(STDIN_FILENO) == 1;
}

std::string Context::config_path() const {
    return profile::config_path(global.config);
}

Result<profile::Config> Context::load_config() const {
    if (!m_config) {
        auto loaded = profile::load_config(config_path());
        if (!loaded) {
            return std::move(loaded).error();
        }
        m_config = std::move(*loaded);
    }
    return *m_config;
}

std::string Context::profile_name(const profile::Config& config) const {
    return profile::profile_name(global.profile, config);
}

Result<profile::Profile> Context::active_profile() const {
    auto config = load_config();
    if (!config) {
        return std::move(config).error();
    }
    const std::string name = profile_name(*config);
    auto it = config->profiles.find(name);
    if (it == config->profiles.end()) {
        return with_run_hint(
            make_error(ErrorKind::config,
                       "profile '" + name + "' is not configured in " + config_path()),
            "configure source --dir PATH",
            "and `pj-ats configure greenhouse|lever` first");
    }
    return it->second;
}

Result<const app::Settings*> Context::settings() const {
    if (!m_settings) {
        auto config = load_config();
        if (!config) {
            return std::move(config).error();
        }
        m_settings = std::make_unique<app::Settings>(
            std::move(*config),
            app::resolve_config_path(global.config, app::process_env()),
            global.profile);
    }
    return m_settings.get();
}

Result<app::Services*> Context::services() {
    if (!m_services) {
        auto settings = this->settings();
        if (!settings) {
            return std::move(settings).error();
        }
        const profile::Profile* profile = (*settings)->profile();
        m_services = std::make_unique<app::Services>(
            **settings,
            transports(profile != nullptr ? *profile : profile::Profile{}),
            [this](const std::function<Status(profile::Profile&)>& change) {
                return update_profile(change);
            });
    }
    return m_services.get();
}

app::Transports& Context::transports(const profile::Profile& profile) {
    if (!m_transports) {
        app::TransportSettings settings;
        settings.ca_bundle = profile.ca_bundle;
        settings.timeout = request_timeout();
        settings.max_connections = m_max_connections;
        settings.requested = m_requested;
        if (global.verbose > 0) {
            std::ostream* trace = &err;
            std::mutex* mutex = &m_output_mutex;
            settings.trace = [trace, mutex](std::string_view line) {
                const std::string scrubbed = http::scrub_secrets(line);
                const std::lock_guard<std::mutex> lock(*mutex);
                *trace << scrubbed << '\n';
            };
        }
        m_transports = std::make_unique<app::Transports>(std::move(settings));
    }
    return *m_transports;
}

http::Transport& Context::transport(const profile::Profile& profile) {
    return transports(profile).shared();
}

void Context::use_concurrent_transport(int max_connections, double rate_per_second, double burst) {
    m_max_connections = max_connections;
    m_requested.rate = rate_per_second;
    m_requested.burst = burst < 1 ? 1 : burst;
}

std::chrono::milliseconds request_timeout() {
    return app::request_timeout(app::process_env());
}

send::UnknownOutcomePolicy Context::unknown_outcome_policy() const {
    send::UnknownOutcomePolicy policy;
    policy.window = request_timeout();
    policy.poll_interval = std::min(std::chrono::milliseconds(2'000), policy.window / 4 + std::chrono::milliseconds(1));
    return policy;
}

std::string Context::program() const {
    std::string prefix = "pj-ats";
    if (!global.config.empty()) {
        prefix += " --config " + shell_word(global.config);
    }
    std::string profile = global.profile;
    if (profile.empty()) {
        if (const char* env = std::getenv("PJ_ATS_PROFILE"); env != nullptr) {
            profile = env;
        }
    }
    if (!profile.empty()) {
        prefix += " --profile " + shell_word(profile);
    }
    return prefix;
}

std::string Context::explain(const Error& error) const {
    const Hint& hint = error.hint;
    if (error.kind == ErrorKind::auth && hint.kind == Hint::Kind::run) {
        // The hint says to configure the credential again; but one that comes from the
        // environment or a helper wins over what configure stores.
        const bool greenhouse = hint.command.rfind("configure greenhouse", 0) == 0;
        const bool lever_key = hint.command.rfind("configure lever", 0) == 0
                               && hint.command.find("--oauth") == std::string::npos;
        std::optional<profile::Secret> secret;
        if (auto resolved = settings(); resolved && (greenhouse || lever_key)) {
            auto key = greenhouse ? (*resolved)->greenhouse_key() : (*resolved)->lever_api_key();
            if (key && (!lever_key || (*resolved)->profile() == nullptr
                        || !(*resolved)->profile()->lever
                        || (*resolved)->profile()->lever->auth != "oauth")) {
                secret = *key;
            }
        }
        if (secret && secret->origin == profile::SecretOrigin::environment) {
            return error.message + "; the key comes from " + secret->where
                   + ", which overrides the stored one: set it to a valid key, or run `unset "
                   + secret->where + "` to use the key `" + program() + " "
                   + (greenhouse ? "configure greenhouse" : "configure lever") + "` stores";
        }
        if (secret && secret->origin == profile::SecretOrigin::command) {
            return error.message
                   + "; the key comes from the profile's api_key_command, which wins over a "
                     "stored key: make it print a valid key";
        }
    }
    const std::string text = hint_text(hint, program());
    return text.empty() ? error.message : error.message + "; " + text;
}

int Context::fail(const Error& error) const {
    err << "pj-ats: error: " << http::scrub_secrets(explain(error)) << '\n';
    const ExitCode code = exit_code_for(error);
    if (code == ExitCode::temporary && !global.quiet) {
        err << "pj-ats: this looks temporary; it is safe to re-run the same command\n";
    }
    return to_int(code);
}

void Context::note(const std::string& message) const {
    if (!global.quiet) {
        err << http::scrub_secrets(message) << '\n';
    }
}

} // namespace pjats::cli
