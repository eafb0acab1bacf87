#pragma once

// The services of one command, built once from its Settings (settings.hpp): one transport
// stack with one pacer per target, one Lever session, one Greenhouse client, the source
// and the send targets. Flow: cmd/context.cpp loads the config once → Settings →
// Transports + Services → the commands (send, sync, status, ...).

#include <pjats/app/settings.hpp>
#include <pjats/core/result.hpp>
#include <pjats/greenhouse/client.hpp>
#include <pjats/http/adaptive_pace.hpp>
#include <pjats/http/http.hpp>
#include <pjats/http/rate_limiter.hpp>
#include <pjats/http/server_hold.hpp>
#include <pjats/lever/client.hpp>
#include <pjats/lever/credentials.hpp>
#include <pjats/send/target.hpp>
#include <pjats/source/source.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace pjats::app {

// How fast requests may leave: per second (0: unlimited), and how many at once first.
struct Pace {
    double rate = 0;
    double burst = 1;
};

// The pace a target supplies, given what the user asked (--rate/--burst; rate 0: nothing).
// "lever": Lever's limit, 10 req/s with bursts of lever::k_client_burst; a lower --rate
// wins. "greenhouse" (and anything else): the request as given; without --rate (rate 0)
// Transports paces Greenhouse adaptively (http/adaptive_pace.hpp), as its limit is not
// published.
Pace pace_for(const std::string& target, const Pace& requested);

struct TransportSettings {
    std::string ca_bundle;                     // the profile's; empty: curl's defaults
    std::chrono::milliseconds timeout{60'000}; // per request (Settings::request_timeout)
    http::TraceSink trace;                     // -v lines, redacted; thread-safe if concurrent
    int max_connections = 0;                   // > 0: the thread-safe multi transport
    Pace requested;                            // --rate/--burst
    http::Transport* base = nullptr;           // tests: used instead of curl (not owned)
    // The file remembering the pace learnt for a target's credential
    // (http::pace_state_file); "" or empty: nothing remembered. Called on first use of
    // the target, so it may resolve the credential lazily.
    std::function<std::string(const std::string& target)> pace_file;
    // The first rate of an adaptive pacer with nothing remembered (req/s, also its first
    // burst); 0: http::AdaptiveParams' slow start. Reads (track) start high: a 429 on a
    // read costs one retry, while a burst of refused sends is what slow start avoids.
    double adaptive_start = 0;
};

// The command's one transport stack: one curl transport (a single handle, or the multi
// interface for concurrent runs) and one ServerHold under every retry layer. shared() is
// the unpaced stack (sources, OAuth token endpoint, probes); target(name) adds that
// target's one pacer *under* its retry layer, so every attempt, retries included, is paced.
class Transports {
  public:
    explicit Transports(TransportSettings settings);
    ~Transports();
    Transports(const Transports&) = delete;
    Transports& operator=(const Transports&) = delete;

    http::Transport& shared();

    // The paced stack of `name` ("greenhouse", "lever"), built on first use.
    http::Transport& target(const std::string& name);

    // The pacer of `name`; nullptr while it has none (unlimited, adaptive, or not used yet).
    const http::TokenBucket* pacer(const std::string& name) const;

    // The adaptive pacer of `name` (Greenhouse without --rate); nullptr otherwise.
    const http::AdaptivePacer* adaptive_pacer(const std::string& name) const;

    // Writes what the adaptive pacers learnt to their pace files (also done on destruction).
    void remember_pace();

    const TransportSettings& settings() const {
        return m_settings;
    }

  private:
    struct Stack;
    std::unique_ptr<http::Transport> wrap(http::Transport& inner);

    TransportSettings m_settings;
    std::unique_ptr<http::Transport> m_curl;
    std::shared_ptr<http::ServerHold> m_hold;
    std::unique_ptr<http::Transport> m_shared;
    mutable std::mutex m_mutex;
    std::map<std::string, std::unique_ptr<Stack>> m_targets;
};

// Everything a Lever call needs, kept alive together.
struct LeverSession {
    std::unique_ptr<lever::Credentials> credentials; // API key, or OAuth tokens
    std::unique_ptr<lever::Client> client;           // over Transports::target("lever")
    std::string base_url;
    std::string perform_as;
    std::string perform_as_email; // the profile's e-mail of perform_as ("" when not known)
    std::string auth_mode; // "api_key (environment|command|profile)" or "oauth"
};

// Greenhouse credentials in effect.
struct GreenhouseAccess {
    std::string base_url;
    std::string email;
    profile::Secret key;
};

// Greenhouse's base URL, On-Behalf-Of email and key from `settings`; a `config`/`auth`
// error with a hint when something is missing.
Result<GreenhouseAccess> greenhouse_access(const Settings& settings);

// Applies a change to the active profile in the config file (under its lock).
using ProfileUpdate = std::function<Status(const std::function<Status(profile::Profile&)>&)>;

class Services {
  public:
    // `update` is used to remember what was learnt (Greenhouse's user id); empty: never.
    Services(const Settings& settings, Transports& transports, ProfileUpdate update = {});
    ~Services();
    Services(const Services&) = delete;
    Services& operator=(const Services&) = delete;

    const Settings& settings() const {
        return m_settings;
    }

    Transports& transports() {
        return m_transports;
    }

    // The command's Lever session, opened on first use and shared by sends, lookups and
    // publishing. Key precedence: PJ_ATS_LEVER_API_KEY, api_key_command, stored api_key;
    // otherwise the stored OAuth tokens (as loaded; refreshes re-read under the lock).
    Result<std::shared_ptr<LeverSession>> lever();

    // A session for other settings (a profile being configured) on the same transports
    // and pacer. `settings` must outlive the session (refreshes take the client secret
    // from it).
    Result<std::shared_ptr<LeverSession>> open_lever(const Settings& settings);

    // The configured candidate source; a url source uses Transports::shared().
    Result<std::unique_ptr<source::Source>> source();

    // The target "greenhouse" or "lever", built once (client, credentials, account).
    // `offline` (dry runs): Greenhouse's identity is never asked for; account() is then ""
    // until the profile has learnt it. Not thread-safe: build the target before starting
    // workers (the target itself is safe to share when its transport is).
    Result<send::Target*> target(const std::string& to, bool offline = false);

    // Whom the Greenhouse key acts as ("user:<id>"): the stored one when the key is the
    // same, else GET /v1/partner/current_user (remembered unless the key came from the
    // environment). "" when `offline` and not known.
    Result<std::string>
    greenhouse_identity(const GreenhouseAccess& access, greenhouse::Client& client, bool offline);

  private:
    struct TargetHolder;

    const Settings& m_settings;
    Transports& m_transports;
    ProfileUpdate m_update;
    std::mutex m_mutex;
    std::shared_ptr<LeverSession> m_lever;
    std::map<std::string, std::unique_ptr<TargetHolder>> m_targets;
};

} // namespace pjats::app
