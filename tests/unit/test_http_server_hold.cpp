// Retry-After in its three forms, a wait beyond the retry budget, and the per-origin hold
// that keeps later requests away from a server that asked for time.

#include "support/scripted_transport.hpp"

#include <pjats/http/multi_transport.hpp>
#include <pjats/http/retry.hpp>
#include <pjats/http/server_hold.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using pjats::ErrorKind;
using pjats::http::ConcurrentRetryingTransport;
using pjats::http::format_utc;
using pjats::http::parse_retry_after;
using pjats::http::Request;
using pjats::http::RetryingTransport;
using pjats::http::RetryPolicy;
using pjats::http::ServerHold;
using pjats::test::ScriptedTransport;
using std::chrono::milliseconds;
using std::chrono::steady_clock;
using std::chrono::system_clock;

namespace {

// 2025-01-01 00:00:00 UTC = 1735689600.
const system_clock::time_point k_now = system_clock::from_time_t(1735689600);

// Wall and monotonic time that only move when a test sleeps.
struct FakeClocks {
    system_clock::time_point wall = k_now;
    steady_clock::time_point mono{};
    std::vector<milliseconds> sleeps;

    RetryingTransport::Sleeper sleeper() {
        return [this](milliseconds d) {
            sleeps.push_back(d);
            wall += d;
            mono += d;
        };
    }
    RetryingTransport::Clock clock() {
        return [this] { return mono; };
    }
    std::shared_ptr<ServerHold> hold() {
        return std::make_shared<ServerHold>([this] { return wall; });
    }
};

Request post(const std::string& url) {
    Request r;
    r.method = "POST";
    r.url = url;
    r.body = "{}";
    return r;
}

} // namespace

TEST_CASE("http::parse_retry_after reads delta-seconds, HTTP-dates and Unix timestamps") {
    struct Row {
        const char* value;
        std::optional<milliseconds> expected;
    };
    const Row rows[] = {
        // delta-seconds
        {"30", 30'000ms},
        {"999999999", milliseconds(24h)}, // below the timestamp threshold: clamped delta
        // HTTP-date
        {"Wed, 01 Jan 2025 00:01:00 GMT", 60'000ms},
        {"Tue, 31 Dec 2024 23:59:00 GMT", 0ms},
        // Unix timestamps (>= 1,000,000,000): absolute times, not 31 years of delta
        {"1735689630", 30'000ms},
        {"1735693200", 3'600'000ms},
        {"1735689600", 0ms},
        {"1735689000", 0ms}, // in the past
        {"1000000000", 0ms}, // 2001
        {"1835689600", milliseconds(24h)}, // years ahead: clamped
        {"99999999999999999999", milliseconds(24h)},
    };
    for (const Row& row : rows) {
        CAPTURE(std::string(row.value));
        CHECK(parse_retry_after(row.value, k_now) == row.expected);
    }
}

TEST_CASE("http::RetryingTransport waits for every Retry-After form within the budget") {
    struct Row {
        const char* value;
        milliseconds sleep;
    };
    const Row rows[] = {
        {"20", 20'000ms},
        {"Wed, 01 Jan 2025 00:00:20 GMT", 20'000ms},
        {"1735689620", 20'000ms},
    };
    for (const Row& row : rows) {
        CAPTURE(std::string(row.value));
        ScriptedTransport inner;
        inner.respond(429, "slow down", {{"Retry-After", row.value}}).respond(201, "created");
        FakeClocks clocks;
        RetryingTransport transport(
            inner, RetryPolicy{}, clocks.sleeper(), clocks.clock(), 1, clocks.hold());
        auto result = transport.send(post("https://api.lever.co/v1/opportunities"));
        REQUIRE(result);
        CHECK(result->status == 201);
        CHECK(inner.request_count() == 2);
        REQUIRE(clocks.sleeps.size() == 1);
        CHECK(clocks.sleeps[0] == row.sleep);
    }
}

TEST_CASE("http::RetryingTransport returns at once when Retry-After exceeds the budget") {
    const char* forms[] = {"3600", "Wed, 01 Jan 2025 01:00:00 GMT", "1735693200"};
    for (const char* value : forms) {
        CAPTURE(std::string(value));
        ScriptedTransport inner;
        inner.respond(503, "maintenance", {{"Retry-After", value}}).respond(201, "created");
        FakeClocks clocks;
        RetryPolicy policy;
        policy.max_total = 120'000ms;
        RetryingTransport transport(inner, policy, clocks.sleeper(), clocks.clock(), 1, clocks.hold());
        std::vector<std::string> trace;
        transport.set_trace([&trace](std::string_view line) { trace.emplace_back(line); });
        auto result = transport.send(post("https://api.lever.co/v1/opportunities"));
        REQUIRE(result);
        CHECK(result->status == 503);
        CHECK(inner.request_count() == 1);
        CHECK(clocks.sleeps.empty());
        CHECK(transport.retries() == 0);
        REQUIRE(trace.size() == 1);
        CHECK(trace[0].find("beyond the retry budget") != std::string::npos);
    }
}

TEST_CASE("http::ServerHold keeps later requests to that origin away until the given time") {
    FakeClocks clocks;
    const std::shared_ptr<ServerHold> hold = clocks.hold();
    ScriptedTransport inner;
    inner.respond(429, "rate limited", {{"Retry-After", "3600"}});
    RetryingTransport transport(inner, RetryPolicy{}, clocks.sleeper(), clocks.clock(), 1, hold);

    auto first = transport.send(post("https://api.lever.co/v1/opportunities?perform_as=u"));
    REQUIRE(first);
    CHECK(first->status == 429);
    REQUIRE(inner.request_count() == 1);

    SUBCASE("a second send to the origin makes no request") {
        auto second = transport.send(post("https://api.lever.co/v1/opportunities?perform_as=u"));
        REQUIRE_FALSE(second);
        CHECK(second.error().kind == ErrorKind::temporary);
        CHECK_FALSE(second.error().outcome_unknown);
        CHECK(second.error().message.find("asked to wait until 2025-01-01 01:00:00 UTC")
              != std::string::npos);
        CHECK(second.error().message.find("retry later") != std::string::npos);
        CHECK(inner.request_count() == 1);
        CHECK(clocks.sleeps.empty());
    }
    SUBCASE("another transport sharing the hold makes no request either") {
        ScriptedTransport other_inner;
        other_inner.respond(201, "created");
        ConcurrentRetryingTransport other(other_inner, RetryPolicy{}, {}, hold);
        auto second = other.send(post("https://api.lever.co:443/v1/opportunities"));
        REQUIRE_FALSE(second);
        CHECK(other_inner.request_count() == 0);
    }
    SUBCASE("other origins are unaffected") {
        inner.respond(200, "token");
        auto oauth = transport.send(post("https://auth.lever.co/oauth/token"));
        REQUIRE(oauth);
        CHECK(oauth->status == 200);
        CHECK(inner.request_count() == 2);
    }
    SUBCASE("after the time has passed requests flow again") {
        clocks.wall += 3601s;
        inner.respond(201, "created");
        auto later = transport.send(post("https://api.lever.co/v1/opportunities"));
        REQUIRE(later);
        CHECK(later->status == 201);
        CHECK(inner.request_count() == 2);
    }
}

TEST_CASE("http::ServerHold basics") {
    system_clock::time_point wall = k_now;
    ServerHold hold([&wall] { return wall; });
    CHECK_FALSE(hold.held_until("https://api.example.com/x"));
    hold.hold("https://api.example.com/x", k_now + 10s);
    hold.hold("https://api.example.com/y", k_now + 5s); // an earlier time never shortens it
    REQUIRE(hold.held_until("https://API.example.com:443/z"));
    CHECK(*hold.held_until("https://api.example.com/z") == k_now + 10s);
    CHECK_FALSE(hold.held_until("http://api.example.com/x")); // another scheme and port
    wall += 10s;
    CHECK_FALSE(hold.held_until("https://api.example.com/x"));
    CHECK(format_utc(k_now + 3723s) == "2025-01-01 01:02:03 UTC");
}
