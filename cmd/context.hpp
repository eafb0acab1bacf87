#pragma once

#include "exit_code.hpp"

#include <pjats/app/services.hpp>
#include <pjats/app/settings.hpp>
#include <pjats/core/result.hpp>
#include <pjats/http/http.hpp>
#include <pjats/http/multi_transport.hpp>
#include <pjats/http/rate_limiter.hpp>
#include <pjats/http/retry.hpp>
#include <pjats/ledger/generation.hpp>
#include <pjats/ledger/ledger.hpp>
#include <pjats/ledger/run.hpp>
#include <pjats/profile/profile.hpp>
#include <pjats/send/sender.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace pjats::cli {

struct GlobalOptions {
    std::string profile;  // --profile (env PJ_ATS_PROFILE is applied by profile_name())
    std::string config;   // --config (env PJ_ATS_CONFIG is applied by config_path())
    bool json = false;    // machine output on stdout
    int verbose = 0;      // HTTP trace on stderr, redacted
    bool quiet = false;
    bool no_input = false;
};

// State shared by every subcommand: global options, the output streams, and lazily
// created services. Subcommands write only to `out` (data) and `err` (messages).
class Context {
  public:
    Context(std::ostream& out_stream, std::ostream& err_stream) : out(out_stream), err(err_stream) {}

    GlobalOptions global;
    std::ostream& out;
    std::ostream& err;
    int exit_code = 0;

    // Whether prompting is allowed: not --no-input, stdin is a TTY and CI is unset.
    bool interactive() const;

    // Path of the config file in effect.
    std::string config_path() const;

    // The config file, read once per command (the first call) and kept: later calls, and
    // settings(), services(), active_profile() and open_ledger(), use that copy, which
    // update_profile() keeps current.
    Result<profile::Config> load_config() const;

    // The profile name in effect for `config`.
    std::string profile_name(const profile::Config& config) const;

    // Returns the active profile of the loaded config; a missing profile is a config
    // error that says how to create it.
    Result<profile::Profile> active_profile() const;

    // The command's effective settings (app/settings.hpp), resolved once from the config.
    Result<const app::Settings*> settings() const;

    // The command's services (app/services.hpp), built once over settings() and the
    // transport stack: the Lever session, targets, the source.
    Result<app::Services*> services();

    // Adds or updates the active profile under the config lock.
    template <typename F>
    Status update_profile(F&& change) const {
        std::optional<profile::Config> saved;
        Status status =
            profile::update_config(config_path(), [&](profile::Config& config) -> Status {
                const std::string name = profile_name(config);
                if (config.default_profile.empty()) {
                    config.default_profile = name;
                }
                Status changed = change(config.profiles[name]);
                if (changed) {
                    saved = config;
                }
                return changed;
            });
        if (status && saved) {
            m_config = std::move(saved); // the file as just written: no need to read it again
        }
        return status;
    }

    // The shared HTTP stack (curl with retries, unpaced), created on first use with the CA
    // bundle of `profile` (when the stack does not exist yet).
    http::Transport& transport(const profile::Profile& profile);

    // The command's transport stack (one curl transport, one pacer per target), created
    // on first use with the CA bundle of `profile`.
    app::Transports& transports(const profile::Profile& profile);

    // Makes the transport stack the thread-safe variant for bulk sends: the libcurl multi
    // interface with at most `max_connections` connections per host, retries per calling
    // thread. `rate_per_second`/`burst` is what the user asked (--rate/--burst, rate 0:
    // nothing); each target's one pacer combines it with the target's own limits
    // (app::pace_for). Call before the first transport().
    void use_concurrent_transport(int max_connections, double rate_per_second, double burst);

    // The first rate of an adaptive pacer with nothing learnt yet (app::TransportSettings::
    // adaptive_start). Call before the first transport().
    void set_adaptive_start(double rate_per_second) {
        m_adaptive_start = rate_per_second;
    }

    // Held while writing to `err` from several threads (trace lines, progress, reports).
    std::mutex& output_mutex() {
        return m_output_mutex;
    }

    // Opens a connection to the ledger of the active profile, acting for this command's
    // run (started, with its heartbeat, on the first call). The profile remembers the
    // ledger's lineage on first use; afterwards a missing or different ledger is refused.
    Result<std::unique_ptr<ledger::Ledger>> open_ledger();
    // The run's lease, once open_ledger has started it (else null).
    ledger::RunLease* run_lease() const { return m_run.get(); }

    // Where the active profile's ledger lives (PJ_ATS_LEDGER_URL, the profile's ledger_url,
    // else its SQLite file).
    Result<ledger::Location> ledger_location() const;

    // Whether the ledger already exists (a dry run reads it but never creates one).
    Result<bool> ledger_exists() const;

    // At the end of a command that opened the ledger: whether it is still the ledger the
    // run wrote (the SQLite file not removed or replaced, no older copy put in its place).
    // Otherwise prints why the run's outcomes were not recorded and returns exit code 5;
    // else 0 (docs/ledger.md, "Stale ledgers").
    int check_ledger_at_end();

    // The command made `ledger` continue another history on purpose (an import into an
    // empty ledger took its lineage): its serial moves past the one the profile saw, and
    // this run and the profile remember it.
    Status ledger_lineage_changed(ledger::Ledger& ledger);

    // What this command's sends do after an unknown outcome: look up over the request
    // timeout (PJ_ATS_HTTP_TIMEOUT seconds, default 60).
    send::UnknownOutcomePolicy unknown_outcome_policy() const;

    // How the user runs pj-ats on this command's profile: "pj-ats", plus --config when given,
    // plus --profile when the profile was chosen by --profile or PJ_ATS_PROFILE (not what a
    // bare `pj-ats` picks). Every printed hint starts with it.
    std::string program() const;

    // The error's message and its hint for this invocation ("MESSAGE; run `PROGRAM CMD`"):
    // program() as the command, and for a refused credential that the environment or a
    // credential helper supplies (configure would not change what is used), that source
    // named as the thing to fix.
    std::string explain(const Error& error) const;

    // Prints "pj-ats: error: " and explain(error), and returns its exit code.
    int fail(const Error& error) const;

    // A progress/status message on stderr unless --quiet.
    void note(const std::string& message) const;

  private:
    // The file remembering the pace learnt for `target`'s credential (next to the ledger
    // files); "" when there is none to remember.
    std::string pace_file(const std::string& target);

    int m_max_connections = 0; // > 0: the concurrent transport
    app::Pace m_requested;     // --rate/--burst
    double m_adaptive_start = 0;
    std::mutex m_output_mutex;
    mutable std::optional<profile::Config> m_config;   // loaded once
    mutable std::unique_ptr<app::Settings> m_settings; // resolved once
    std::unique_ptr<app::Transports> m_transports;
    std::unique_ptr<app::Services> m_services;
    std::unique_ptr<ledger::RunLease> m_run;
    ledger::LedgerOpener m_ledger_opener; // set by the first open_ledger (config read once)
    // What the first open_ledger saw, for check_ledger_at_end.
    std::optional<ledger::Generation> m_generation;
    ledger::Location m_location;
    std::optional<std::pair<std::uint64_t, std::uint64_t>> m_file_id; // SQLite: (dev, inode)
};

// The request timeout: PJ_ATS_HTTP_TIMEOUT (seconds, may be fractional) or 60 s
// (app::request_timeout over the process environment).
std::chrono::milliseconds request_timeout();

// While alive, SIGINT, SIGTERM and SIGHUP (an ssh session that ends) only set flag()
// (installed with sigaction; a second signal takes the default action). The previous
// handlers come back on destruction.
class InterruptScope {
  public:
    InterruptScope();
    ~InterruptScope();
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;

    const std::atomic<bool>& flag() const;
};

} // namespace pjats::cli

// PJATS_TRY_EXIT(ctx, expr): on a failed Result, report it and return its exit code.
#define PJATS_TRY_EXIT(ctx, expr)                                                                  \
    do {                                                                                           \
        auto&& pjats_try_exit_ = (expr);                                                           \
        if (!pjats_try_exit_) {                                                                    \
            return (ctx).fail(pjats_try_exit_.error());                                            \
        }                                                                                          \
    } while (false)
