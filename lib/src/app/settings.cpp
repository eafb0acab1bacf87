// Effective settings: every "env > helper > stored > default" rule in one place.
#include <pjats/app/settings.hpp>
#include <pjats/http/secrets.hpp>

#include <cstdint>
#include <cstdlib>
#include <utility>

namespace pjats::app {

namespace {

constexpr std::chrono::milliseconds k_default_timeout{60'000};

std::string value_of(const Getenv& getenv, const char* name) {
    const char* value = getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

Setting
resolve_profile_name(const std::string& flag, const profile::Config& config, const Getenv& getenv) {
    if (!flag.empty()) {
        return {flag, Origin::flag, "--profile"};
    }
    if (std::string env = value_of(getenv, "PJ_ATS_PROFILE"); !env.empty()) {
        return {std::move(env), Origin::env, "PJ_ATS_PROFILE"};
    }
    if (!config.default_profile.empty()) {
        return {config.default_profile, Origin::stored, "default_profile"};
    }
    return {"default", Origin::default_value, ""};
}

} // namespace

const char* to_string(Origin origin) {
    switch (origin) {
    case Origin::none:
        return "none";
    case Origin::flag:
        return "flag";
    case Origin::env:
        return "env";
    case Origin::helper:
        return "helper";
    case Origin::stored:
        return "stored";
    case Origin::default_value:
        return "default";
    }
    return "none";
}

Origin origin_of(const profile::Secret& secret) {
    switch (secret.origin) {
    case profile::SecretOrigin::none:
        return Origin::none;
    case profile::SecretOrigin::environment:
        return Origin::env;
    case profile::SecretOrigin::command:
        return Origin::helper;
    case profile::SecretOrigin::profile:
        return Origin::stored;
    }
    return Origin::none;
}

Getenv process_env() {
    return [](const char* name) -> const char* { return std::getenv(name); };
}

Setting resolve_config_path(const std::string& flag, const Getenv& getenv) {
    if (!flag.empty()) {
        return {flag, Origin::flag, "--config"};
    }
    if (std::string env = value_of(getenv, "PJ_ATS_CONFIG"); !env.empty()) {
        return {std::move(env), Origin::env, "PJ_ATS_CONFIG"};
    }
    return {profile::config_path(""), Origin::default_value, ""};
}

std::chrono::milliseconds request_timeout(const Getenv& getenv) {
    const std::string text = value_of(getenv, "PJ_ATS_HTTP_TIMEOUT");
    if (!text.empty()) {
        char* end = nullptr;
        const double seconds = std::strtod(text.c_str(), &end);
        if (end != nullptr && *end == '\0' && seconds > 0 && seconds < 86'400) {
            return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
        }
    }
    return k_default_timeout;
}

Settings::Settings(profile::Config config,
                   Setting config_path,
                   std::string profile_flag,
                   Getenv getenv)
    : m_config(std::move(config)),
      m_config_path(std::move(config_path)),
      m_profile_flag(std::move(profile_flag)),
      m_getenv(getenv ? std::move(getenv) : process_env()),
      m_profile_name(resolve_profile_name(m_profile_flag, m_config, m_getenv)) {
    const auto it = m_config.profiles.find(m_profile_name.value);
    if (it != m_config.profiles.end()) {
        m_profile = it->second;
    }
}

std::unique_ptr<Settings> Settings::with_profile(profile::Profile profile) const {
    auto settings = std::make_unique<Settings>(m_config, m_config_path, m_profile_flag, m_getenv);
    settings->m_profile = std::move(profile);
    return settings;
}

std::string Settings::env(const char* name) const {
    return value_of(m_getenv, name);
}

bool Settings::env_set(const char* name) const {
    return m_getenv(name) != nullptr;
}

Setting Settings::from_env_or_stored(const char* env_name,
                                     const std::string& stored,
                                     const char* stored_key,
                                     const char* fallback) const {
    if (std::string value = env(env_name); !value.empty()) {
        return {std::move(value), Origin::env, env_name};
    }
    if (!stored.empty()) {
        return {stored, Origin::stored, stored_key};
    }
    if (fallback != nullptr) {
        return {fallback, Origin::default_value, ""};
    }
    return {};
}

Setting Settings::greenhouse_url() const {
    const auto& greenhouse = m_profile ? m_profile->greenhouse : std::nullopt;
    return from_env_or_stored("PJ_ATS_GREENHOUSE_URL",
                              greenhouse ? greenhouse->base_url : std::string(),
                              "base_url",
                              profile::k_default_greenhouse_url);
}

Setting Settings::lever_url() const {
    const auto& lever = m_profile ? m_profile->lever : std::nullopt;
    return from_env_or_stored("PJ_ATS_LEVER_URL",
                              lever ? lever->base_url : std::string(),
                              "base_url",
                              profile::k_default_lever_url);
}

Setting Settings::lever_auth_url() const {
    const auto& lever = m_profile ? m_profile->lever : std::nullopt;
    return from_env_or_stored("PJ_ATS_LEVER_AUTH_URL",
                              lever ? lever->auth_url : std::string(),
                              "auth_url",
                              profile::k_default_lever_auth_url);
}

Setting Settings::source_url() const {
    return from_env_or_stored(
        "PJ_ATS_SOURCE_URL", m_profile ? m_profile->source.url : "", "url", nullptr);
}

std::chrono::milliseconds Settings::request_timeout() const {
    return app::request_timeout(m_getenv);
}

Result<profile::Secret> Settings::secret(const char* env_name,
                                         const std::string& command,
                                         const std::string& stored,
                                         const char* command_key) const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (const auto it = m_secrets.find(env_name); it != m_secrets.end()) {
        return it->second;
    }
    Result<profile::Secret> resolved = profile::Secret{};
    if (std::string value = env(env_name); !value.empty()) {
        http::register_secret(value);
        resolved = profile::Secret{std::move(value), profile::SecretOrigin::environment, env_name};
    } else {
        // No variable name: profile::resolve_secret goes straight to command, then stored.
        resolved = profile::resolve_secret("", command, stored, command_key);
    }
    m_secrets.emplace(env_name, resolved);
    return resolved;
}

Result<profile::Secret> Settings::greenhouse_key() const {
    const auto& greenhouse = m_profile ? m_profile->greenhouse : std::nullopt;
    return secret("PJ_ATS_GREENHOUSE_API_KEY",
                  greenhouse ? greenhouse->api_key_command : std::string(),
                  greenhouse ? greenhouse->api_key : std::string(),
                  "api_key_command");
}

Result<profile::Secret> Settings::lever_api_key() const {
    const auto& lever = m_profile ? m_profile->lever : std::nullopt;
    const bool oauth = lever && lever->auth == "oauth";
    return secret("PJ_ATS_LEVER_API_KEY",
                  lever ? lever->api_key_command : std::string(),
                  lever && !oauth ? lever->api_key : std::string(),
                  "api_key_command");
}

Result<profile::Secret> Settings::lever_client_secret() const {
    const auto& lever = m_profile ? m_profile->lever : std::nullopt;
    return secret("PJ_ATS_LEVER_CLIENT_SECRET",
                  lever ? lever->client_secret_command : std::string(),
                  lever ? lever->client_secret : std::string(),
                  "client_secret_command");
}

Result<profile::Secret> Settings::source_token() const {
    const profile::SourceSettings* source = m_profile ? &m_profile->source : nullptr;
    return secret("PJ_ATS_SOURCE_TOKEN",
                  source ? source->token_command : std::string(),
                  source ? source->token : std::string(),
                  "token_command");
}

} // namespace pjats::app
