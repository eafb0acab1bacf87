// The Lever OAuth refresh state machine: expiry, rotation persisted before use, adoption
// of another process's refresh, invalid_grant and network failures.

#include "support/scripted_transport.hpp"
#include "test_lever_support.hpp"

#include <pjats/lever/credentials.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

namespace {

using namespace pjats;
using namespace pjats::lever_test;
using pjats::test::header_of;
using pjats::test::ScriptedTransport;

struct Fixture {
    TempDir dir;
    std::string config = dir.file("config.toml");
    ScriptedTransport transport;
    std::atomic<std::int64_t> now{k_now};
    EnvGuard no_env_secret{"PJ_ATS_LEVER_CLIENT_SECRET", std::nullopt};

    lever::OAuthCredentials credentials() {
        return lever::OAuthCredentials(config, "default", transport, [this] { return now.load(); });
    }
};

} // namespace

TEST_CASE("lever::ApiKeyCredentials") {
    lever::ApiKeyCredentials credentials("key123");
    auto authorization = credentials.authorization();
    REQUIRE(authorization.has_value());
    CHECK(*authorization == "Basic a2V5MTIzOg=="); // base64("key123:")
    CHECK_FALSE(credentials.can_refresh());
    auto refreshed = credentials.refresh_after_unauthorized(*authorization);
    REQUIRE_FALSE(refreshed.has_value());
    CHECK(refreshed.error().kind == ErrorKind::auth);
}

TEST_CASE("lever::OAuthCredentials uses a valid access token without refreshing") {
    Fixture f;
    write_oauth_config(f.config, oauth_settings("access-1", "refresh-1", k_now + 3600));
    auto credentials = f.credentials();
    CHECK(credentials.can_refresh());
    auto authorization = credentials.authorization();
    REQUIRE(authorization.has_value());
    CHECK(*authorization == "Bearer access-1");
    CHECK(f.transport.request_count() == 0);
    CHECK(credentials.expires_at() == k_now + 3600);
}

TEST_CASE("lever::OAuthCredentials refreshes a token expiring within 60 s and persists the "
          "rotation") {
    Fixture f;
    write_oauth_config(f.config, oauth_settings("access-1", "refresh-1", k_now + 59));
    f.transport.respond(200, token_json("access-2", "refresh-2", 3600));
    auto credentials = f.credentials();

    auto authorization = credentials.authorization();
    REQUIRE_MESSAGE(authorization.has_value(), authorization.error().message);
    CHECK(*authorization == "Bearer access-2");

    REQUIRE(f.transport.request_count() == 1);
    const http::Request request = f.transport.request(0);
    CHECK(request.method == "POST");
    CHECK(request.url == "https://auth.example.test/oauth/token");
    CHECK(header_of(request, "Content-Type") == "application/x-www-form-urlencoded");
    CHECK(form_field(request.body, "grant_type") == "refresh_token");
    CHECK(form_field(request.body, "client_id") == "client-1");
    CHECK(form_field(request.body, "client_secret") == "stored-secret");
    CHECK(form_field(request.body, "refresh_token") == "refresh-1");

    const profile::LeverSettings stored = stored_lever(f.config);
    CHECK(stored.refresh_token == "refresh-2");
    CHECK(stored.access_token == "access-2");
    CHECK(stored.expires_at == k_now + 3600);
    CHECK(stored.scope == "offline_access opportunities:write:admin");
    CHECK(stored.client_id == "client-1"); // the rest of the profile is untouched
    CHECK(stored.perform_as == "user-1");

    // The fresh token is used from memory afterwards.
    auto again = credentials.authorization();
    REQUIRE(again.has_value());
    CHECK(*again == "Bearer access-2");
    CHECK(f.transport.request_count() == 1);
}

TEST_CASE("lever::OAuthCredentials writes the new refresh token before the access token is "
          "handed out") {
    Fixture f;
    write_oauth_config(f.config, oauth_settings("access-1", "refresh-1", k_now - 10));
    // The token endpoint answers from a hook; at that moment the disk still has the old
    // token, and the answer must be on disk by the time authorization() returns.
    std::string on_disk_during_refresh;
    f.transport.on_send([&](const http::Request&) -> std::optional<Result<http::Response>> {
        on_disk_during_refresh = stored_lever(f.config).refresh_token;
        http::Response response;
        response.status = 200;
        response.body = token_json("access-2", "refresh-2");
        return Result<http::Response>(response);
    });
    auto credentials = f.credentials();
    auto authorization = credentials.authorization();
    REQUIRE(authorization.has_value());
    CHECK(on_disk_during_refresh == "refresh-1");
    CHECK(stored_lever(f.config).refresh_token == "refresh-2");
}

TEST_CASE("lever::OAuthCredentials adopts tokens another process refreshed") {
    Fixture f;
    write_oauth_config(f.config, oauth_settings("access-1", "refresh-1", k_now + 3600));
    auto credentials = f.credentials();
    REQUIRE(credentials.authorization().has_value()); // holds access-1 / refresh-1

    // An hour later our token is about to expire; another process has already rotated.
    f.now = k_now + 3590;
    write_oauth_config(f.config, oauth_settings("access-9", "refresh-9", k_now + 7000));

    auto authorization = credentials.authorization();
    REQUIRE_MESSAGE(authorization.has_value(), authorization.error().message);
    CHECK(*authorization == "Bearer access-9");
    CHECK(f.transport.request_count() == 0); // no refresh of our own
    CHECK(credentials.expires_at() == k_now + 7000);
    CHECK(stored_lever(f.config).refresh_token == "refresh-9");
}

TEST_CASE("lever::OAuthCredentials refreshes with the newest refresh token on disk") {
    Fixture f;
    write_oauth_config(f.config, oauth_settings("access-1", "refresh-1", k_now + 3600));
    auto credentials = f.credentials();
    REQUIRE(credentials.authorization().has_value()); // holds refresh-1 in memory

    // Another process refreshed, but its access token is about to expire too.
    write_oauth_config(f.config, oauth_settings("access-2", "refresh-2", k_now + 30));
    f.now = k_now + 3590;
    f.transport.respond(200, token_json("access-3", "refresh-3"));

    auto authorization = credentials.authorization();
    REQUIRE_MESSAGE(authorization.has_value(), authorization.error().message);
    CHECK(*authorization == "Bearer access-3");
    REQUIRE(f.transport.request_count() == 1);
    CHECK(form_field(f.transport.request(0).body, "refresh_token") == "refresh-2");
    CHECK(stored_lever(f.config).refresh_token == "refresh-3");
}

TEST_CASE("lever::OAuthCredentials keeps the old refresh token when the token endpoint "
          "cannot be reached") {
    Fixture f;
    write_oauth_config(f.config, oauth_settings("access-1", "refresh-1", k_now - 1));
    auto credentials = f.credentials();
    Error network = make_error(ErrorKind::temporary, "Could not connect to server");
    f.transport.fail(network);

    auto authorization = credentials.authorization();
    REQUIRE_FALSE(authorization.has_value());
    CHECK(authorization.error().kind == ErrorKind::temporary);
    CHECK(authorization.error().message.find("token refresh") != std::string::npos);
    CHECK(stored_lever(f.config).refresh_token == "refresh-1");
    CHECK(stored_lever(f.config).access_token == "access-1");

    // The next call tries again with the same refresh token.
    f.transport.respond(200, token_json("access-2", "refresh-2"));
    auto retried = credentials.authorization();
    REQUIRE(retried.has_value());
    CHECK(*retried == "Bearer access-2");
    CHECK(form_field(f.transport.request(1).body, "refresh_token") == "refresh-1");
}

TEST_CASE("lever::OAuthCredentials reports a rejected refresh token") {
    Fixture f;
    write_oauth_config(f.config, oauth_settings("access-1", "refresh-1", k_now - 1));
    auto credentials = f.credentials();
    long status = 0;
    SUBCASE("400") {
        status = 400;
    }
    SUBCASE("401") {
        status = 401;
    }
    SUBCASE("403") {
        status = 403;
    }
    f.transport.respond(status,
                        R"({"error":"invalid_grant","error_description":"Unknown or invalid )"
                        R"(refresh token."})");
    auto authorization = credentials.authorization();
    REQUIRE_FALSE(authorization.has_value());
    CHECK(authorization.error().kind == ErrorKind::auth);
    CHECK(with_hint(authorization.error())
          == "Lever refresh token was rejected; run `pj-ats configure lever --oauth` again");
    CHECK(stored_lever(f.config).refresh_token == "refresh-1");
}

TEST_CASE("lever::OAuthCredentials maps other token endpoint failures") {
    Fixture f;
    write_oauth_config(f.config, oauth_settings("access-1", "refresh-1", k_now - 1));
    auto credentials = f.credentials();
    SUBCASE("invalid client is an auth error") {
        f.transport.respond(401, R"({"error":"invalid_client","error_description":"bad"})");
        auto authorization = credentials.authorization();
        REQUIRE_FALSE(authorization.has_value());
        CHECK(authorization.error().kind == ErrorKind::auth);
        CHECK(authorization.error().message.find("invalid_client") != std::string::npos);
    }
    SUBCASE("5xx is temporary") {
        f.transport.respond(503, "<html>maintenance</html>");
        auto authorization = credentials.authorization();
        REQUIRE_FALSE(authorization.has_value());
        CHECK(authorization.error().kind == ErrorKind::temporary);
    }
    SUBCASE("an undecodable success is a decode error with an unknown outcome") {
        f.transport.respond(200, R"({"token_type":"Bearer"})");
        auto authorization = credentials.authorization();
        REQUIRE_FALSE(authorization.has_value());
        CHECK(authorization.error().kind == ErrorKind::decode);
        CHECK(authorization.error().outcome_unknown);
    }
    CHECK(stored_lever(f.config).refresh_token == "refresh-1");
}

TEST_CASE("lever::OAuthCredentials keeps the refresh token when the response has none") {
    Fixture f;
    write_oauth_config(f.config, oauth_settings("access-1", "refresh-1", k_now - 1));
    f.transport.respond(200, token_json("access-2", ""));
    auto credentials = f.credentials();
    REQUIRE(credentials.authorization().has_value());
    const profile::LeverSettings stored = stored_lever(f.config);
    CHECK(stored.access_token == "access-2");
    CHECK(stored.refresh_token == "refresh-1");
}

TEST_CASE("lever::OAuthCredentials takes the client secret from the environment first") {
    Fixture f;
    EnvGuard secret("PJ_ATS_LEVER_CLIENT_SECRET", std::string("env-secret"));
    write_oauth_config(f.config, oauth_settings("access-1", "refresh-1", k_now - 1));
    f.transport.respond(200, token_json("access-2", "refresh-2"));
    auto credentials = f.credentials();
    REQUIRE(credentials.authorization().has_value());
    CHECK(form_field(f.transport.request(0).body, "client_secret") == "env-secret");
}

TEST_CASE("lever::OAuthCredentials uses the auth URL override") {
    Fixture f;
    write_oauth_config(f.config, oauth_settings("access-1", "refresh-1", k_now - 1));
    f.transport.respond(200, token_json("access-2", "refresh-2"));
    lever::OAuthCredentials credentials(
        f.config, "default", f.transport, [] { return k_now; }, "http://127.0.0.1:9/");
    REQUIRE(credentials.authorization().has_value());
    CHECK(f.transport.request(0).url == "http://127.0.0.1:9/oauth/token");
}

TEST_CASE("lever::OAuthCredentials::refresh_after_unauthorized") {
    Fixture f;
    write_oauth_config(f.config, oauth_settings("access-1", "refresh-1", k_now + 3600));
    auto credentials = f.credentials();
    REQUIRE(credentials.authorization().has_value());

    SUBCASE("a rejected current token is refreshed even though it has not expired") {
        f.transport.respond(200, token_json("access-2", "refresh-2"));
        auto refreshed = credentials.refresh_after_unauthorized("Bearer access-1");
        REQUIRE(refreshed.has_value());
        CHECK(*refreshed == "Bearer access-2");
        CHECK(f.transport.request_count() == 1);
        CHECK(stored_lever(f.config).refresh_token == "refresh-2");
    }
    SUBCASE("a token already replaced by another thread is not refreshed again") {
        f.transport.respond(200, token_json("access-2", "refresh-2"));
        REQUIRE(credentials.refresh_after_unauthorized("Bearer access-1").has_value());
        auto second = credentials.refresh_after_unauthorized("Bearer access-1");
        REQUIRE(second.has_value());
        CHECK(*second == "Bearer access-2");
        CHECK(f.transport.request_count() == 1);
    }
    SUBCASE("a rejected token still on disk is never adopted back") {
        f.transport.respond(400, R"({"error":"invalid_grant"})");
        auto refreshed = credentials.refresh_after_unauthorized("Bearer access-1");
        REQUIRE_FALSE(refreshed.has_value());
        CHECK(refreshed.error().kind == ErrorKind::auth);
        CHECK(f.transport.request_count() == 1);
    }
}

TEST_CASE("lever::OAuthCredentials without OAuth tokens in the profile") {
    Fixture f;
    profile::Config config;
    config.profiles["default"].ca_bundle = "";
    REQUIRE(profile::save_config(f.config, config).has_value());
    auto credentials = f.credentials();
    auto authorization = credentials.authorization();
    REQUIRE_FALSE(authorization.has_value());
    CHECK(authorization.error().kind == ErrorKind::auth);
    CHECK(with_hint(authorization.error()).find("configure lever --oauth") != std::string::npos);
    CHECK(f.transport.request_count() == 0);
}

TEST_CASE("lever::OAuthCredentials in two processes spends each refresh token once") {
    // Two credential objects stand for two processes sharing one config file; the token
    // endpoint rotates, accepting every refresh token exactly once.
    TempDir dir;
    const std::string config = dir.file("config.toml");
    EnvGuard no_env_secret("PJ_ATS_LEVER_CLIENT_SECRET", std::nullopt);
    write_oauth_config(config, oauth_settings("access-0", "refresh-0", k_now - 1));

    std::mutex server_mutex;
    std::set<std::string> spent;
    int issued = 0;
    const auto token_server =
        [&](const http::Request& request) -> std::optional<Result<http::Response>> {
        std::lock_guard<std::mutex> guard(server_mutex);
        const std::string token = form_field(request.body, "refresh_token");
        http::Response response;
        if (!spent.insert(token).second) {
            response.status = 400;
            response.body = R"({"error":"invalid_grant"})";
        } else {
            ++issued;
            response.status = 200;
            response.body =
                token_json("access-" + std::to_string(issued), "refresh-" + std::to_string(issued));
        }
        return Result<http::Response>(response);
    };
    pjats::test::ScriptedTransport transport_a;
    pjats::test::ScriptedTransport transport_b;
    transport_a.on_send(token_server);
    transport_b.on_send(token_server);
    lever::OAuthCredentials a(config, "default", transport_a, [] { return k_now; });
    lever::OAuthCredentials b(config, "default", transport_b, [] { return k_now; });

    Result<std::string> result_a = std::string();
    Result<std::string> result_b = std::string();
    std::thread thread_a([&] { result_a = a.authorization(); });
    std::thread thread_b([&] { result_b = b.authorization(); });
    thread_a.join();
    thread_b.join();

    REQUIRE_MESSAGE(result_a.has_value(), result_a.error().message);
    REQUIRE_MESSAGE(result_b.has_value(), result_b.error().message);
    CHECK(*result_a == "Bearer access-1");
    CHECK(*result_b == "Bearer access-1");
    CHECK(issued == 1);
    CHECK(transport_a.request_count() + transport_b.request_count() == 1);
    CHECK(stored_lever(config).refresh_token == "refresh-1");
}

TEST_CASE("lever::OAuthCredentials makes a dead grant one token request for all threads") {
    Fixture f;
    write_oauth_config(f.config, oauth_settings("access-1", "refresh-1", k_now - 1));
    std::atomic<int> token_requests{0};
    f.transport.on_send([&](const http::Request&) -> std::optional<Result<http::Response>> {
        ++token_requests;
        // Slow enough that the other threads queue up behind this refresh.
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        http::Response response;
        response.status = 400;
        response.body = R"({"error":"invalid_grant","error_description":"revoked"})";
        return Result<http::Response>(response);
    });
    auto credentials = f.credentials();

    constexpr int k_threads = 16;
    std::vector<std::thread> threads;
    std::vector<Result<std::string>> results(k_threads, Result<std::string>(std::string()));
    for (int i = 0; i < k_threads; ++i) {
        threads.emplace_back([&credentials, &results, i] {
            results[static_cast<std::size_t>(i)] =
                i % 2 == 0 ? credentials.authorization()
                           : credentials.refresh_after_unauthorized("Bearer access-1");
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    CHECK(token_requests.load() == 1);
    for (const Result<std::string>& result : results) {
        REQUIRE_FALSE(result.has_value());
        CHECK(result.error().kind == ErrorKind::auth);
        CHECK(with_hint(result.error())
              == "Lever refresh token was rejected; run `pj-ats configure lever --oauth` again");
    }

    // Later calls answer at once, without a request, for the lifetime of the object.
    auto later = credentials.authorization();
    REQUIRE_FALSE(later.has_value());
    CHECK(later.error().kind == ErrorKind::auth);
    CHECK_FALSE(credentials.refresh_after_unauthorized("Bearer access-1").has_value());
    CHECK(token_requests.load() == 1);
    CHECK(stored_lever(f.config).refresh_token == "refresh-1");
}

TEST_CASE("lever::OAuthCredentials remembers a refused client and says to configure again") {
    Fixture f;
    write_oauth_config(f.config, oauth_settings("access-1", "refresh-1", k_now - 1));
    f.transport.respond(401, R"({"error":"invalid_client","error_description":"bad"})");
    auto credentials = f.credentials();
    auto first = credentials.authorization();
    REQUIRE_FALSE(first.has_value());
    CHECK(first.error().kind == ErrorKind::auth);
    CHECK(with_hint(first.error()).find("invalid_client") != std::string::npos);
    CHECK(with_hint(first.error()).find("run `pj-ats configure lever --oauth` again")
          != std::string::npos);
    auto second = credentials.authorization();
    REQUIRE_FALSE(second.has_value());
    CHECK(second.error().message == first.error().message);
    CHECK(f.transport.request_count() == 1);
}

TEST_CASE("lever::OAuthCredentials does not remember a temporary token endpoint failure") {
    Fixture f;
    write_oauth_config(f.config, oauth_settings("access-1", "refresh-1", k_now - 1));
    SUBCASE("503") {
        f.transport.respond(503, "<html>maintenance</html>");
    }
    SUBCASE("429") {
        f.transport.respond(429, R"({"error":"too_many_requests"})");
    }
    SUBCASE("network") {
        f.transport.fail(make_error(ErrorKind::temporary, "Connection reset by peer"));
    }
    f.transport.respond(200, token_json("access-2", "refresh-2"));
    auto credentials = f.credentials();
    auto failed = credentials.authorization();
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().kind == ErrorKind::temporary);

    auto retried = credentials.authorization();
    REQUIRE_MESSAGE(retried.has_value(), retried.error().message);
    CHECK(*retried == "Bearer access-2");
    CHECK(f.transport.request_count() == 2);
    CHECK(stored_lever(f.config).refresh_token == "refresh-2");
}
