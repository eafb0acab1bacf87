// app::apply_change and friends: what `configure greenhouse|lever` stores.
#include "test_profile_support.hpp"

#include <pjats/app/configure.hpp>

#include <doctest/doctest.h>

#include <map>
#include <string>

using namespace pjats;
using namespace pjats::app;

namespace {

Settings settings_with_env(const std::map<std::string, std::string>& vars) {
    return Settings(profile::Config{},
                    Setting{"/nonexistent/config.toml", Origin::flag, "--config"},
                    "",
                    [vars](const char* name) -> const char* {
                        const auto it = vars.find(name);
                        return it == vars.end() ? nullptr : it->second.c_str();
                    });
}

} // namespace

TEST_CASE(
    "apply_change (Greenhouse): a new key replaces the stored key and drops a stored helper") {
    profile::GreenhouseSettings current;
    current.email = "old@example.com";
    current.api_key = "old-key-1";
    current.api_key_command = "pass show greenhouse";
    current.base_url = "https://gh.example";

    GreenhouseChange change;
    change.email = "new@example.com";
    change.api_key = "new-key-2";
    const auto updated = apply_change(current, change);
    CHECK(updated.email == "new@example.com");
    CHECK(updated.api_key == "new-key-2");
    CHECK(updated.api_key_command.empty()); // it would win over the new key
    CHECK(updated.base_url == "https://gh.example");

    change.api_key_command = "pass show greenhouse-2";
    const auto both = apply_change(current, change);
    CHECK(both.api_key_command == "pass show greenhouse-2");

    GreenhouseChange email_only;
    email_only.email = "new@example.com";
    const auto kept = apply_change(current, email_only);
    CHECK(kept.api_key == "old-key-1");
    CHECK(kept.api_key_command == "pass show greenhouse");
}

TEST_CASE("apply_change (Lever): an API key clears OAuth tokens; OAuth clears the API key") {
    profile::LeverSettings current;
    current.auth = "oauth";
    current.client_id = "client-1";
    current.access_token = "access-1";
    current.refresh_token = "refresh-1";
    current.expires_at = 123;
    current.perform_as = "user-1";
    current.perform_as_email = "u1@example.com";

    LeverChange api_key;
    api_key.api_key = "lever-key-1";
    api_key.perform_as = "user-2";
    const auto keyed = apply_change(current, api_key);
    CHECK(keyed.auth == "api_key");
    CHECK(keyed.api_key == "lever-key-1");
    CHECK(keyed.access_token.empty());
    CHECK(keyed.refresh_token.empty());
    CHECK(keyed.expires_at == 0);
    CHECK(keyed.perform_as == "user-2");
    CHECK(keyed.perform_as_email.empty());

    LeverChange oauth;
    oauth.oauth = true;
    oauth.client_id = "client-2";
    oauth.client_secret_command = "pass show lever-secret";
    oauth.auth_url = "https://auth.example";
    const auto granted = apply_change(keyed, oauth);
    CHECK(granted.auth == "oauth");
    CHECK(granted.client_id == "client-2");
    CHECK(granted.client_secret_command == "pass show lever-secret");
    CHECK(granted.api_key.empty());
    CHECK(granted.auth_url == "https://auth.example");
    CHECK(granted.perform_as == "user-2");
}

TEST_CASE("oauth_client_secret: given > PJ_ATS_LEVER_CLIENT_SECRET > helper > stored, else usage") {
    profile::LeverSettings lever;
    lever.client_secret = "stored-secret-1";
    LeverChange change;
    change.oauth = true;

    const Settings no_env = settings_with_env({});
    auto stored = oauth_client_secret(no_env, lever, change);
    REQUIRE(stored);
    CHECK(*stored == "stored-secret-1");

    lever.client_secret_command = "echo helper-secret-2";
    auto helper = oauth_client_secret(no_env, lever, change);
    REQUIRE(helper);
    CHECK(*helper == "helper-secret-2");

    const Settings env = settings_with_env({{"PJ_ATS_LEVER_CLIENT_SECRET", "env-secret-3"}});
    auto from_env = oauth_client_secret(env, lever, change);
    REQUIRE(from_env);
    CHECK(*from_env == "env-secret-3");

    change.client_secret = "given-secret-4";
    auto given = oauth_client_secret(env, lever, change);
    REQUIRE(given);
    CHECK(*given == "given-secret-4");

    auto none = oauth_client_secret(no_env, profile::LeverSettings{}, LeverChange{});
    REQUIRE_FALSE(none);
    CHECK(none.error().kind == ErrorKind::usage);
}

TEST_CASE("check_api_key_given: some key must be in effect after `configure lever`") {
    const Settings no_env = settings_with_env({});
    CHECK_FALSE(check_api_key_given(no_env, profile::LeverSettings{}, LeverChange{}));
    LeverChange command;
    command.api_key_command = "pass show lever";
    CHECK(check_api_key_given(no_env, profile::LeverSettings{}, command));
    profile::LeverSettings stored;
    stored.api_key = "stored-key-1";
    CHECK(check_api_key_given(no_env, stored, LeverChange{}));
    const Settings env = settings_with_env({{"PJ_ATS_LEVER_API_KEY", ""}});
    CHECK(check_api_key_given(env, profile::LeverSettings{}, LeverChange{})); // set, even empty
}
