#pragma once

// The effective settings of one command, each with where it came from. Every rule of the
// form "environment > helper command > profile > default" lives here, applied once per
// command to the config loaded once (cmd/context.cpp); `status` shows these origins.

#include <pjats/core/result.hpp>
#include <pjats/profile/profile.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace pjats::app {

// Where an effective value came from.
enum class Origin {
    none,          // not set anywhere
    flag,          // a command-line flag (--profile, --config)
    env,           // an environment variable
    helper,        // a *_command of the profile (credential helper)
    stored,        // the profile (config file)
    default_value, // the built-in default
};

// "none", "flag", "env", "helper", "stored", "default".
const char* to_string(Origin origin);

// The origin of a resolved secret (environment → env, command → helper, profile → stored).
Origin origin_of(const profile::Secret& secret);

struct Setting {
    std::string value;
    Origin origin = Origin::none;
    std::string where; // flag: "--profile"; env: the variable; helper/stored: the profile key
};

// Reads an environment variable (nullptr: unset); injected by tests.
using Getenv = std::function<const char*(const char*)>;

// std::getenv.
Getenv process_env();

// The config file in effect: --config, else PJ_ATS_CONFIG, else the XDG default
// (profile::config_path; its value is "" when neither HOME nor XDG_CONFIG_HOME is set).
Setting resolve_config_path(const std::string& flag, const Getenv& getenv);

// The request timeout: PJ_ATS_HTTP_TIMEOUT (seconds, may be fractional, 0 < s < 86400),
// else 60 s; an unusable value is ignored.
std::chrono::milliseconds request_timeout(const Getenv& getenv);

class Settings {
  public:
    // `config`: the file as loaded once for this command; `profile_flag`: --profile ("" when
    // not given). An empty `getenv` reads the process environment.
    Settings(profile::Config config,
             Setting config_path,
             std::string profile_flag,
             Getenv getenv = {});
    Settings(const Settings&) = delete;
    Settings& operator=(const Settings&) = delete;

    // The same rules over `profile` (one being configured, not saved yet) in place of the
    // stored active profile. Secrets are resolved afresh.
    std::unique_ptr<Settings> with_profile(profile::Profile profile) const;

    const profile::Config& config() const {
        return m_config;
    }

    const Setting& config_path() const {
        return m_config_path;
    }

    // --profile, else PJ_ATS_PROFILE, else default_profile of the file (stored), else "default".
    const Setting& profile_name() const {
        return m_profile_name;
    }

    // The active profile; nullptr when the config has no profile of that name.
    const profile::Profile* profile() const {
        return m_profile ? &*m_profile : nullptr;
    }

    // Base URLs: PJ_ATS_GREENHOUSE_URL / PJ_ATS_LEVER_URL / PJ_ATS_LEVER_AUTH_URL, else the
    // profile's, else the defaults.
    Setting greenhouse_url() const;
    Setting lever_url() const;
    Setting lever_auth_url() const;

    // The url source's location: PJ_ATS_SOURCE_URL, else the profile's `url`.
    Setting source_url() const;

    // PJ_ATS_HTTP_TIMEOUT or 60 s (see app::request_timeout).
    std::chrono::milliseconds request_timeout() const;

    // Secrets, env > helper (*_command) > stored. Resolved on first call; a helper command
    // runs at most once per Settings, and every later call returns the same answer (an
    // error included). Thread-safe.
    Result<profile::Secret> greenhouse_key() const; // PJ_ATS_GREENHOUSE_API_KEY
    Result<profile::Secret>
    lever_api_key() const; // PJ_ATS_LEVER_API_KEY; stored key unused with auth = "oauth"
    Result<profile::Secret> lever_client_secret() const; // PJ_ATS_LEVER_CLIENT_SECRET
    Result<profile::Secret> source_token() const;        // PJ_ATS_SOURCE_TOKEN

    // The value of an environment variable, "" when unset (for rules outside these).
    std::string env(const char* name) const;

    // Whether an environment variable is set at all (even to "").
    bool env_set(const char* name) const;

  private:
    Setting from_env_or_stored(const char* env_name,
                               const std::string& stored,
                               const char* stored_key,
                               const char* fallback) const;
    Result<profile::Secret> secret(const char* env_name,
                                   const std::string& command,
                                   const std::string& stored,
                                   const char* command_key) const;

    profile::Config m_config;
    Setting m_config_path;
    std::string m_profile_flag;
    Getenv m_getenv;
    Setting m_profile_name;
    std::optional<profile::Profile> m_profile;
    profile::Profile m_empty;

    mutable std::mutex m_mutex;
    mutable std::map<std::string, Result<profile::Secret>> m_secrets; // by env name
};

} // namespace pjats::app
