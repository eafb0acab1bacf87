#include "test_profile_support.hpp"

#include <pjats/profile/profile.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace pjats;
using namespace pjats::profile;
using pjats::test::EnvGuard;

namespace {

constexpr const char* k_env = "PJATS_TEST_SECRET_ENV";

} // namespace

TEST_CASE("profile::resolve_secret precedence") {
    SUBCASE("a set environment variable wins over command and stored value") {
        EnvGuard env(k_env, "from-env");
        // The command would fail: it must not even run.
        auto secret = resolve_secret(k_env, "exit 7", "stored");
        REQUIRE(secret);
        CHECK(secret->value == "from-env");
        CHECK(secret->origin == SecretOrigin::environment);
        CHECK(secret->where == k_env);
    }
    SUBCASE("an empty environment variable is ignored") {
        EnvGuard env(k_env, "");
        auto secret = resolve_secret(k_env, "", "stored");
        REQUIRE(secret);
        CHECK(secret->value == "stored");
        CHECK(secret->origin == SecretOrigin::profile);
    }
    SUBCASE("the command wins over the stored value") {
        EnvGuard env(k_env, std::nullopt);
        auto secret = resolve_secret(k_env, "printf 'secret\\n'", "stored");
        REQUIRE(secret);
        CHECK(secret->value == "secret");
        CHECK(secret->origin == SecretOrigin::command);
        CHECK(secret->where == "command");
    }
    SUBCASE("the stored value is the last resort") {
        EnvGuard env(k_env, std::nullopt);
        auto secret = resolve_secret(k_env, "", "stored");
        REQUIRE(secret);
        CHECK(secret->value == "stored");
        CHECK(secret->origin == SecretOrigin::profile);
        CHECK(secret->where == "profile");
    }
    SUBCASE("nothing at all") {
        EnvGuard env(k_env, std::nullopt);
        auto secret = resolve_secret(k_env, "", "");
        REQUIRE(secret);
        CHECK(secret->value.empty());
        CHECK(secret->origin == SecretOrigin::none);
        CHECK(secret->where.empty());
        auto no_env = resolve_secret("", "", "");
        REQUIRE(no_env);
        CHECK(no_env->origin == SecretOrigin::none);
    }
}

TEST_CASE("profile::resolve_secret runs the command") {
    EnvGuard env(k_env, std::nullopt);
    SUBCASE("first line, trimmed") {
        auto secret = resolve_secret(k_env, "printf '  tok en \\t\\r\\nsecond line\\n'", "");
        REQUIRE(secret);
        CHECK(secret->value == "tok en");
    }
    SUBCASE("output without a newline") {
        auto secret = resolve_secret(k_env, "printf abc", "");
        REQUIRE(secret);
        CHECK(secret->value == "abc");
    }
    SUBCASE("the environment reaches the command") {
        EnvGuard value("PJATS_TEST_SECRET_VALUE", "via-env");
        auto secret = resolve_secret(k_env, "echo \"$PJATS_TEST_SECRET_VALUE\"", "");
        REQUIRE(secret);
        CHECK(secret->value == "via-env");
    }
    SUBCASE("a failing command is an error that never shows its output") {
        auto secret = resolve_secret(k_env, "echo leaked-output; exit 3", "stored");
        REQUIRE_FALSE(secret);
        CHECK(secret.error().kind == ErrorKind::config);
        CHECK(secret.error().message == "api_key_command failed (exit 3)");
        CHECK(secret.error().message.find("leaked") == std::string::npos);
        CHECK(secret.error().detail.find("leaked") == std::string::npos);
    }
    SUBCASE("the error names the configured key") {
        auto secret = resolve_secret(k_env, "exit 1", "", "client_secret_command");
        REQUIRE_FALSE(secret);
        CHECK(secret.error().message == "client_secret_command failed (exit 1)");
    }
    SUBCASE("a missing program fails like the shell says (127)") {
        auto secret = resolve_secret(k_env, "/nonexistent/pjats-helper 2>/dev/null", "");
        REQUIRE_FALSE(secret);
        CHECK(secret.error().message == "api_key_command failed (exit 127)");
    }
    SUBCASE("empty output is an error") {
        auto secret = resolve_secret(k_env, "printf '   \\n'", "stored");
        REQUIRE_FALSE(secret);
        CHECK(secret.error().kind == ErrorKind::config);
        CHECK(secret.error().message == "api_key_command printed nothing");
    }
    SUBCASE("stdin is /dev/null, so a reading command does not wait") {
        auto secret = resolve_secret(k_env, "cat", "");
        REQUIRE_FALSE(secret);
        CHECK(secret.error().message == "api_key_command printed nothing");
    }
    SUBCASE("endless output is cut off") {
        auto secret = resolve_secret(k_env, "yes secret-ish-line", "");
        REQUIRE_FALSE(secret);
        CHECK(secret.error().message == "api_key_command printed more than 64 KB");
    }
    SUBCASE("a command killed by a signal") {
        auto secret = resolve_secret(k_env, "kill -9 $$", "");
        REQUIRE_FALSE(secret);
        CHECK(secret.error().message == "api_key_command failed (killed by signal 9)");
    }
}

TEST_CASE("profile::to_string(SecretOrigin)") {
    CHECK(std::string(to_string(SecretOrigin::none)) == "none");
    CHECK(std::string(to_string(SecretOrigin::environment)) == "environment");
    CHECK(std::string(to_string(SecretOrigin::command)) == "command");
    CHECK(std::string(to_string(SecretOrigin::profile)) == "profile");
}
