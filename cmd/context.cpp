#include "context.hpp"

#include <pjats/http/redact.hpp>
#include <pjats/http/secrets.hpp>

#include <unistd.h>

#include <algorithm>
#include <csignal>
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

Result<std::unique_ptr<ledger::Ledger>> Context::open_ledger() {
    if (m_ledger_opener && m_run) {
        // Later connections (bulk workers): the lineage was checked by the first.
        auto ledger = m_ledger_opener();
        if (!ledger) {
            return std::move(ledger).error();
        }
        (*ledger)->use_run(m_run->identity());
        return ledger;
    }
    auto config = load_config();
    if (!config) {
        return std::move(config).error();
    }
    const std::string name = profile_name(*config);
    const auto profile = config->profiles.find(name);
    const bool known = profile != config->profiles.end();
    const ledger::Location location =
        ledger::location_for(name, known ? profile->second.ledger_url : std::string());
    // PJ_ATS_LEDGER_URL points this run elsewhere: the profile's lineage is not about it.
    const bool remember = known && !location.from_env;
    ledger::OpenOptions options;
    options.expected_lineage = remember ? profile->second.ledger_lineage : std::string();
    const ledger::LedgerOpener opener = [location, options] {
        return ledger::open_location(location, options);
    };
    auto ledger = opener();
    if (!ledger) {
        return std::move(ledger).error();
    }
    if (remember && options.expected_lineage.empty()) {
        auto lineage = (*ledger)->lineage();
        if (!lineage) {
            return std::move(lineage).error();
        }
        std::optional<profile::Config> saved;
        PJATS_TRY(profile::update_config(config_path(), [&](profile::Config& stored) -> Status {
            const auto it = stored.profiles.find(name);
            if (it != stored.profiles.end() && it->second.ledger_lineage.empty()) {
                it->second.ledger_lineage = *lineage;
            }
            saved = stored;
            return {};
        }));
        m_config = std::move(saved); // as written: no second read
    }
    if (!m_run) {
        auto run = ledger::RunLease::start(opener, "pj-ats");
        if (!run) {
            return std::move(run).error();
        }
        m_run = std::move(*run);
    }
    m_ledger_opener = opener;
    (*ledger)->use_run(m_run->identity());
    return ledger;
}

Result<ledger::Location> Context::ledger_location() const {
    auto config = load_config();
    if (!config) {
        return std::move(config).error();
    }
    const std::string name = profile_name(*config);
    const auto profile = config->profiles.find(name);
    return ledger::location_for(
        name, profile != config->profiles.end() ? profile->second.ledger_url : std::string());
}

Result<bool> Context::ledger_exists() const {
    auto location = ledger_location();
    if (!location) {
        return std::move(location).error();
    }
    return ledger::ledger_exists(*location);
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

int Context::fail(const Error& error) const {
    err << "pj-ats: error: " << http::scrub_secrets(with_hint(error)) << '\n';
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

namespace {

using SignalAction = struct sigaction;

std::atomic<bool> g_interrupted{false};
SignalAction g_previous_int{};
SignalAction g_previous_term{};
SignalAction g_previous_hup{};

extern "C" void on_interrupt(int /*signal_number*/) {
    g_interrupted.store(true);
}

} // namespace

InterruptScope::InterruptScope() {
    static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");
    g_interrupted.store(false);
    SignalAction action{};
    action.sa_handler = &on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND; // a second Ctrl-C ends the process the usual way
    sigaction(SIGINT, &action, &g_previous_int);
    sigaction(SIGTERM, &action, &g_previous_term);
    sigaction(SIGHUP, &action, &g_previous_hup);
}

InterruptScope::~InterruptScope() {
    sigaction(SIGINT, &g_previous_int, nullptr);
    sigaction(SIGTERM, &g_previous_term, nullptr);
    sigaction(SIGHUP, &g_previous_hup, nullptr);
}

const std::atomic<bool>& InterruptScope::flag() const {
    return g_interrupted;
}

} // namespace pjats::cli
