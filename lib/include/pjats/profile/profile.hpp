#pragma once

#include <pjats/core/result.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace pjats::profile {

inline constexpr const char* k_default_greenhouse_url = "https://api.greenhouse.io";
inline constexpr const char* k_default_lever_url = "https://api.lever.co";
inline constexpr const char* k_default_lever_auth_url = "https://auth.lever.co";

struct GreenhouseSettings {
    std::string email;           // On-Behalf-Of user
    std::string api_key;         // stored secret (may be empty when a command or env is used)
    std::string api_key_command; // program printing the key (credential helper)
    std::string base_url;        // empty: k_default_greenhouse_url
    // Who the key acts as, learnt from GET /v1/partner/current_user ("user:<id>"), and
    // a fingerprint of the key it was learnt with (never the key): the ledger's account.
    std::string account_id;
    std::string key_fingerprint;

    bool operator==(const GreenhouseSettings&) const = default;
};

struct LeverSettings {
    std::string auth;            // "api_key" or "oauth"
    std::string api_key;
    std::string api_key_command;
    std::string base_url;        // empty: k_default_lever_url
    std::string auth_url;        // empty: k_default_lever_auth_url
    std::string perform_as;      // Lever user id used as ?perform_as=
    std::string perform_as_email;
    // OAuth
    std::string client_id;
    std::string client_secret;
    std::string client_secret_command;
    std::string access_token;
    std::string refresh_token;
    std::int64_t expires_at = 0; // unix seconds; 0 unknown
    std::string scope;

    bool operator==(const LeverSettings&) const = default;
};

struct SourceSettings {
    std::string kind;            // "dir" or "url"; empty: not configured
    std::string dir;
    std::string url;
    std::string token;
    std::string token_command;

    bool operator==(const SourceSettings&) const = default;
};

struct Profile {
    std::string ca_bundle;
    // The lineage of the ledger this profile sends with (Ledger::lineage), remembered so a
    // missing or replaced ledger is refused instead of silently started anew.
    std::string ledger_lineage;
    // A PostgreSQL ledger shared by several machines (postgresql://USER@HOST[:PORT]/DB,
    // never with a password); "" for the local SQLite file (ledger::location_for).
    std::string ledger_url;
    // Where sync, send and track write their Prometheus text-format metrics ("" none; the
    // --metrics-file flag wins).
    std::string metrics_file;
    SourceSettings source;
    std::optional<GreenhouseSettings> greenhouse;
    std::optional<LeverSettings> lever;
    std::map<std::string, std::string> links; // Purpose Jobs job id -> Lever posting id

    bool operator==(const Profile&) const = default;
};

struct Config {
    std::string default_profile;             // empty: "default"
    std::map<std::string, Profile> profiles;

    bool operator==(const Config&) const = default;
};

// Profile names are 1+ characters of [A-Za-z0-9_-]; anything else is a `config` error
// naming the offending name.
Status check_profile_name(const std::string& name);

// --config, else PJ_ATS_CONFIG, else $XDG_CONFIG_HOME/pj-ats/config.toml, else
// ~/.config/pj-ats/config.toml. `override_path` is the --config value (may be empty).
// Returns an empty string when none of these is available (no HOME, no XDG_CONFIG_HOME);
// load_config, save_config and ConfigLock::acquire then report a `config` error.
std::string config_path(const std::string& override_path);

// --profile, else PJ_ATS_PROFILE, else config.default_profile, else "default".
std::string profile_name(const std::string& override_name, const Config& config);

// Loads the file. A missing file is an empty Config. Unknown keys are ignored; invalid
// profile names are refused. A file readable by group or others
// is refused with a `config` error whose message names the fixing chmod; a parse error
// names the line and column; a key of the wrong type names the key.
Result<Config> load_config(const std::string& path);

// Writes atomically (temp file in the same dir, fsync, rename, fsync dir) with mode 0600,
// creating the directory with 0700 if needed. Only non-empty keys are written. A directory
// writable by group or others (and not sticky) is refused, naming the fixing chmod.
Status save_config(const std::string& path, const Config& config);

// An exclusive advisory lock on "<path>.lock", held until destruction. Serialises
// read-modify-write cycles of the config across processes (e.g. OAuth refresh rotation).
class ConfigLock {
  public:
    static Result<ConfigLock> acquire(const std::string& config_path);
    ConfigLock(ConfigLock&& other) noexcept;
    ConfigLock& operator=(ConfigLock&& other) noexcept;
    ConfigLock(const ConfigLock&) = delete;
    ConfigLock& operator=(const ConfigLock&) = delete;
    ~ConfigLock();

  private:
    explicit ConfigLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

// Locks, reloads, applies `change` and saves; the change sees the latest file content.
template <typename F>
Status update_config(const std::string& path, F&& change) {
    auto lock = ConfigLock::acquire(path);
    if (!lock) {
        return lock.error();
    }
    auto config = load_config(path);
    if (!config) {
        return config.error();
    }
    Status changed = change(*config);
    if (!changed) {
        return changed;
    }
    return save_config(path, *config);
}

// Where a secret came from, for `status`.
enum class SecretOrigin { none, environment, command, profile };

struct Secret {
    std::string value;
    SecretOrigin origin = SecretOrigin::none;
    std::string where; // environment: the variable name; else "command", "profile" or ""
};

// Precedence: environment variable `env_name` (when set and non-empty), then `command`
// (run with /bin/sh -c; its first stdout line, trimmed; failure or empty output is a
// `config` error that never echoes the output), then `stored`. None: origin `none`.
// `command_key` names the command's profile key in error messages. The command's stdin is
// /dev/null, its stderr is the caller's, and at most 64 KB of its stdout is read.
Result<Secret> resolve_secret(const std::string& env_name,
                              const std::string& command,
                              const std::string& stored,
                              const std::string& command_key = "api_key_command");

const char* to_string(SecretOrigin origin);

} // namespace pjats::profile
