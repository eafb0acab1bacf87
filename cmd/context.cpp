#include "context.hpp"

#include <pjats/http/redact.hpp>

#include <cstdlib>
#include <iostream>
#include <unistd.h>

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
    return profile::load_config(config_path());
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
        return make_error(ErrorKind::config,
                          "profile '" + name + "' is not configured in " + config_path()
                              + "; run `pj-ats configure source --dir PATH` and `pj-ats "
                                "configure greenhouse|lever` first");
    }
    return it->second;
}

http::Transport& Context::transport(const profile::Profile& profile) {
    if (!m_retrying) {
        http::TransportOptions options;
        options.user_agent = http::default_user_agent();
        options.ca_bundle = profile.ca_bundle;
        if (global.verbose > 0) {
            std::ostream* trace = &err;
            options.trace = [trace](std::string_view line) { *trace << line << '\n'; };
        }
        http::TraceSink trace = options.trace;
        m_curl = http::make_curl_transport(std::move(options));
        m_retrying = std::make_unique<http::RetryingTransport>(*m_curl, http::RetryPolicy{});
        if (trace) {
            m_retrying->set_trace(trace);
        }
    }
    return *m_retrying;
}

Result<std::unique_ptr<ledger::Ledger>> Context::open_ledger() const {
    auto config = load_config();
    if (!config) {
        return std::move(config).error();
    }
    return ledger::Ledger::open(ledger::default_path(profile_name(*config)));
}

int Context::fail(const Error& error) const {
    err << "pj-ats: error: " << error.message << '\n';
    const ExitCode code = exit_code_for(error);
    if (code == ExitCode::temporary && !global.quiet) {
        err << "pj-ats: this looks temporary; it is safe to re-run the same command\n";
    }
    return to_int(code);
}

void Context::note(const std::string& message) const {
    if (!global.quiet) {
        err << message << '\n';
    }
}

} // namespace pjats::cli
