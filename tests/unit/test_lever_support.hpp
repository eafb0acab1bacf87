#pragma once

// Helpers shared by the Lever tests: a throwaway directory, an environment variable guard,
// fixture paths and an OAuth profile written to a temporary config file.

#include <pjats/profile/profile.hpp>

#include "support/temp_env.hpp"

#include <doctest/doctest.h>

#include <stdlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

namespace pjats::lever_test {

using pjats::test::EnvGuard;
using pjats::test::TempDir;



inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

// A third-party payload copied into tests/fixtures (each folder names its origin and licence).
inline std::string reference_fixture(const std::string& relative) {
    return std::string(PJATS_FIXTURES_DIR) + "/" + relative;
}

// tests/fixtures/lever/<name>.
inline std::string lever_fixture(const std::string& name) {
#ifdef PJATS_FIXTURES_DIR
    return std::string(PJATS_FIXTURES_DIR) + "/lever/" + name;
#else
    return "tests/fixtures/lever/" + name;
#endif
}

inline constexpr std::int64_t k_now = 1'700'000'000;
inline constexpr const char* k_auth_url = "https://auth.example.test";

// An OAuth profile "default" with the given tokens.
inline profile::LeverSettings oauth_settings(const std::string& access_token,
                                             const std::string& refresh_token,
                                             std::int64_t expires_at) {
    profile::LeverSettings lever;
    lever.auth = "oauth";
    lever.auth_url = k_auth_url;
    lever.client_id = "client-1";
    lever.client_secret = "stored-secret";
    lever.perform_as = "user-1";
    lever.access_token = access_token;
    lever.refresh_token = refresh_token;
    lever.expires_at = expires_at;
    return lever;
}

inline void write_oauth_config(const std::string& path, const profile::LeverSettings& lever) {
    profile::Config config;
    config.profiles["default"].lever = lever;
    auto saved = profile::save_config(path, config);
    REQUIRE_MESSAGE(saved.has_value(), (saved ? "" : saved.error().message));
}

inline profile::LeverSettings stored_lever(const std::string& path) {
    auto config = profile::load_config(path);
    REQUIRE_MESSAGE(config.has_value(), (config ? "" : config.error().message));
    const auto it = config->profiles.find("default");
    REQUIRE(it != config->profiles.end());
    REQUIRE(it->second.lever.has_value());
    return *it->second.lever;
}

// A token endpoint answer.
inline std::string token_json(const std::string& access_token,
                              const std::string& refresh_token,
                              int expires_in = 3600) {
    std::string body = "{\"access_token\":\"" + access_token + "\"";
    if (!refresh_token.empty()) {
        body += ",\"refresh_token\":\"" + refresh_token + "\"";
    }
    body += ",\"token_type\":\"Bearer\",\"scope\":\"offline_access opportunities:write:admin\""
            ",\"expires_in\":"
            + std::to_string(expires_in) + "}";
    return body;
}

// The value of form field `name` in an x-www-form-urlencoded body (not decoded).
inline std::string form_field(const std::string& body, const std::string& name) {
    std::size_t start = 0;
    while (start <= body.size()) {
        std::size_t end = body.find('&', start);
        if (end == std::string::npos) {
            end = body.size();
        }
        const std::string pair = body.substr(start, end - start);
        if (pair.rfind(name + "=", 0) == 0) {
            return pair.substr(name.size() + 1);
        }
        start = end + 1;
    }
    return "<absent>";
}

} // namespace pjats::lever_test
