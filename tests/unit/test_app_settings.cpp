// app::Settings: every effective value with its origin, and the precedence
// env > helper > stored > default; a helper command runs at most once per command.
#include "test_profile_support.hpp"

#include <pjats/app/settings.hpp>

#include <doctest/doctest.h>

#include <map>
#include <string>

using namespace pjats;
using namespace pjats::app;
using pjats::test::line_count;
using pjats::test::TempDir;

namespace {

// A fake environment for Settings (the process environment is left alone).
struct FakeEnv {
    std::map<std::string, std::string> vars;

    Getenv getenv() const {
        return [this](const char* name) -> const char* {
            const auto it = vars.find(name);
            return it == vars.end() ? nullptr : it->second.c_str();
        };
    }
};

profile::Config config_with(const std::string& name,
                            profile::Profile profile,
                            const std::string& default_profile = {}) {
    profile::Config config;
    config.default_profile = default_profile;
    config.profiles[name] = std::move(profile);
    return config;
}

Setting path_setting() {
    return {"/tmp/config.toml", Origin::flag, "--config"};
}


} // namespace

TEST_CASE("Settings: the profile name comes from --profile, PJ_ATS_PROFILE, default_profile, or "
          "the default") {
    FakeEnv env;
    const profile::Config config = config_with("work", profile::Profile{}, "work");

    Settings by_flag(config, path_setting(), "ops", env.getenv());
    CHECK(by_flag.profile_name().value == "ops");
    CHECK(by_flag.profile_name().origin == Origin::flag);
    CHECK(by_flag.profile() == nullptr); // not in the config

    env.vars["PJ_ATS_PROFILE"] = "home";
    Settings by_env(config, path_setting(), "", env.getenv());
    CHECK(by_env.profile_name().value == "home");
    CHECK(by_env.profile_name().origin == Origin::env);
    CHECK(by_env.profile_name().where == "PJ_ATS_PROFILE");

    env.vars.erase("PJ_ATS_PROFILE");
    Settings stored(config, path_setting(), "", env.getenv());
    CHECK(stored.profile_name().value == "work");
    CHECK(stored.profile_name().origin == Origin::stored);
    CHECK(stored.profile_name().where == "default_profile");
    REQUIRE(stored.profile() != nullptr);

    Settings fallback(profile::Config{}, path_setting(), "", env.getenv());
    CHECK(fallback.profile_name().value == "default");
    CHECK(fallback.profile_name().origin == Origin::default_value);
    CHECK(std::string(to_string(fallback.profile_name().origin)) == "default");
}

TEST_CASE("Settings: base URLs are env > stored > default, naming where they came from") {
    FakeEnv env;
    profile::Profile profile;
    profile.greenhouse = profile::GreenhouseSettings{};
    profile.lever = profile::LeverSettings{};
    profile.lever->base_url = "https://lever.example";

    Settings plain(config_with("default", profile), path_setting(), "", env.getenv());
    CHECK(plain.greenhouse_url().value == profile::k_default_greenhouse_url);
    CHECK(plain.greenhouse_url().origin == Origin::default_value);
    CHECK(plain.lever_url().value == "https://lever.example");
    CHECK(plain.lever_url().origin == Origin::stored);
    CHECK(plain.lever_url().where == "base_url");
    CHECK(plain.lever_auth_url().value == profile::k_default_lever_auth_url);

    env.vars["PJ_ATS_LEVER_URL"] = "http://127.0.0.1:9";
    env.vars["PJ_ATS_GREENHOUSE_URL"] = ""; // empty counts as unset
    Settings overridden(config_with("default", profile), path_setting(), "", env.getenv());
    CHECK(overridden.lever_url().value == "http://127.0.0.1:9");
    CHECK(overridden.lever_url().origin == Origin::env);
    CHECK(overridden.lever_url().where == "PJ_ATS_LEVER_URL");
    CHECK(overridden.greenhouse_url().origin == Origin::default_value);
}

TEST_CASE("Settings: the source URL is PJ_ATS_SOURCE_URL, else the profile's, else none") {
    FakeEnv env;
    profile::Profile profile;
    profile.source.kind = "url";
    Settings none(config_with("default", profile), path_setting(), "", env.getenv());
    CHECK(none.source_url().origin == Origin::none);
    CHECK(none.source_url().value.empty());

    profile.source.url = "https://pj.example";
    Settings stored(config_with("default", profile), path_setting(), "", env.getenv());
    CHECK(stored.source_url().origin == Origin::stored);

    env.vars["PJ_ATS_SOURCE_URL"] = "http://127.0.0.1:1";
    Settings from_env(config_with("default", profile), path_setting(), "", env.getenv());
    CHECK(from_env.source_url().value == "http://127.0.0.1:1");
    CHECK(from_env.source_url().origin == Origin::env);
}

TEST_CASE("Settings: a secret is env > helper > stored, and the helper runs once") {
    TempDir dir;
    const std::string runs = dir.file("runs");
    FakeEnv env;
    profile::Profile profile;
    profile.greenhouse = profile::GreenhouseSettings{};
    profile.greenhouse->api_key = "stored-key-123";

    SUBCASE("stored") {
        Settings settings(config_with("default", profile), path_setting(), "", env.getenv());
        auto key = settings.greenhouse_key();
        REQUIRE(key);
        CHECK(key->value == "stored-key-123");
        CHECK(origin_of(*key) == Origin::stored);
    }
    SUBCASE("the helper wins over the stored key, and runs once however often asked") {
        profile.greenhouse->api_key_command = "echo run >> '" + runs + "'; echo helper-key-456";
        Settings settings(config_with("default", profile), path_setting(), "", env.getenv());
        for (int i = 0; i < 3; ++i) {
            auto key = settings.greenhouse_key();
            REQUIRE(key);
            CHECK(key->value == "helper-key-456");
            CHECK(origin_of(*key) == Origin::helper);
        }
        CHECK(line_count(runs) == 1);
    }
    SUBCASE("a failing helper is asked once too, and its error is kept") {
        profile.greenhouse->api_key_command = "echo run >> '" + runs + "'; exit 3";
        Settings settings(config_with("default", profile), path_setting(), "", env.getenv());
        CHECK_FALSE(settings.greenhouse_key());
        auto again = settings.greenhouse_key();
        REQUIRE_FALSE(again);
        CHECK(again.error().kind == ErrorKind::config);
        CHECK(line_count(runs) == 1);
    }
    SUBCASE("the environment wins over the helper, which then never runs") {
        profile.greenhouse->api_key_command = "echo run >> '" + runs + "'; echo helper-key-456";
        env.vars["PJ_ATS_GREENHOUSE_API_KEY"] = "env-key-789";
        Settings settings(config_with("default", profile), path_setting(), "", env.getenv());
        auto key = settings.greenhouse_key();
        REQUIRE(key);
        CHECK(key->value == "env-key-789");
        CHECK(origin_of(*key) == Origin::env);
        CHECK(key->where == "PJ_ATS_GREENHOUSE_API_KEY");
        CHECK(line_count(runs) == 0);
    }
    SUBCASE("nothing anywhere") {
        profile.greenhouse->api_key.clear();
        Settings settings(config_with("default", profile), path_setting(), "", env.getenv());
        auto key = settings.greenhouse_key();
        REQUIRE(key);
        CHECK(key->value.empty());
        CHECK(origin_of(*key) == Origin::none);
    }
}

TEST_CASE("Settings: a stored Lever API key does not count once OAuth is configured") {
    FakeEnv env;
    profile::Profile profile;
    profile.lever = profile::LeverSettings{};
    profile.lever->api_key = "old-lever-key-1";
    profile.lever->client_secret = "client-secret-1";
    profile.lever->auth = "oauth";
    Settings oauth(config_with("default", profile), path_setting(), "", env.getenv());
    auto key = oauth.lever_api_key();
    REQUIRE(key);
    CHECK(origin_of(*key) == Origin::none);
    auto secret = oauth.lever_client_secret();
    REQUIRE(secret);
    CHECK(secret->value == "client-secret-1");

    profile.lever->auth = "api_key";
    Settings api_key(config_with("default", profile), path_setting(), "", env.getenv());
    auto stored = api_key.lever_api_key();
    REQUIRE(stored);
    CHECK(stored->value == "old-lever-key-1");
}

TEST_CASE("Settings: with_profile applies the same rules to a profile being configured") {
    FakeEnv env;
    env.vars["PJ_ATS_SOURCE_TOKEN"] = "env-token-1";
    profile::Profile stored;
    stored.source.kind = "dir";
    Settings settings(config_with("default", stored), path_setting(), "", env.getenv());
    profile::Profile candidate;
    candidate.lever = profile::LeverSettings{};
    candidate.lever->base_url = "https://candidate.example";
    const auto other = settings.with_profile(candidate);
    CHECK(other->lever_url().value == "https://candidate.example");
    CHECK(other->profile_name().value == "default");
    auto token = other->source_token();
    REQUIRE(token);
    CHECK(origin_of(*token) == Origin::env);
}

TEST_CASE("request_timeout: PJ_ATS_HTTP_TIMEOUT in seconds, else 60 s") {
    FakeEnv env;
    CHECK(request_timeout(env.getenv()) == std::chrono::milliseconds(60'000));
    env.vars["PJ_ATS_HTTP_TIMEOUT"] = "2.5";
    CHECK(request_timeout(env.getenv()) == std::chrono::milliseconds(2'500));
    env.vars["PJ_ATS_HTTP_TIMEOUT"] = "soon";
    CHECK(request_timeout(env.getenv()) == std::chrono::milliseconds(60'000));
    env.vars["PJ_ATS_HTTP_TIMEOUT"] = "-1";
    CHECK(request_timeout(env.getenv()) == std::chrono::milliseconds(60'000));
}

TEST_CASE("resolve_config_path: --config, else PJ_ATS_CONFIG, else the default location") {
    FakeEnv env;
    CHECK(resolve_config_path("/x/c.toml", env.getenv()).origin == Origin::flag);
    env.vars["PJ_ATS_CONFIG"] = "/y/c.toml";
    const Setting from_env = resolve_config_path("", env.getenv());
    CHECK(from_env.value == "/y/c.toml");
    CHECK(from_env.origin == Origin::env);
}
