#include <pjats/http/retry.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <deque>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using pjats::Error;
using pjats::ErrorKind;
using pjats::Result;
using pjats::http::backoff_delay;
using pjats::http::classify_attempt;
using pjats::http::parse_retry_after;
using pjats::http::Request;
using pjats::http::Response;
using pjats::http::RetryingTransport;
using pjats::http::RetryPolicy;
using pjats::http::RetryVerdict;
using pjats::http::Transport;
using std::chrono::milliseconds;
using std::chrono::steady_clock;
using std::chrono::system_clock;

namespace {

Response response(long status, std::vector<pjats::http::Header> headers = {}) {
    Response r;
    r.status = status;
    r.headers = std::move(headers);
    r.body = "status " + std::to_string(status);
    return r;
}

Error transport_error(bool outcome_unknown, ErrorKind kind = ErrorKind::temporary) {
    Error e = pjats::make_error(kind, "connection trouble");
    e.outcome_unknown = outcome_unknown;
    return e;
}

Request request(const char* method, bool idempotent = false) {
    Request r;
    r.method = method;
    r.url = "https://api.example.com/x";
    r.idempotent = idempotent;
    return r;
}

// Records requests and plays back queued results; the last one repeats when the queue runs dry.
class ScriptedTransport final : public Transport {
  public:
    explicit ScriptedTransport(std::vector<Result<Response>> script)
        : m_script(script.begin(), script.end()) {}

    Result<Response> send(const Request& req) override {
        requests.push_back(req);
        REQUIRE_FALSE(m_script.empty());
        if (m_script.size() == 1) {
            return m_script.front();
        }
        Result<Response> next = m_script.front();
        m_script.pop_front();
        return next;
    }

    std::vector<Request> requests;

  private:
    std::deque<Result<Response>> m_script;
};

// Fake time: sleeping advances the clock, so max_total arithmetic is exact.
struct FakeTime {
    steady_clock::time_point now{};
    std::vector<milliseconds> sleeps;

    RetryingTransport::Sleeper sleeper() {
        return [this](milliseconds d) {
            sleeps.push_back(d);
            now += d;
        };
    }

    RetryingTransport::Clock clock() {
        return [this] { return now; };
    }
};

std::string http_date(system_clock::time_point t) {
    const std::time_t tt = system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    const std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return {buf, n};
}

} // namespace

TEST_CASE("http::backoff_delay") {
    RetryPolicy policy;
    policy.base_delay = 500ms;
    policy.max_delay = 30'000ms;
    const auto zero = [] { return 0.0; };
    const auto almost_one = [] { return 0.9999999; };
    const auto half = [] { return 0.5; };

    CHECK(backoff_delay(policy, 0, zero) == 0ms);
    CHECK(backoff_delay(policy, 40, zero) == 0ms);
    CHECK(backoff_delay(policy, 0, half) == 250ms);
    CHECK(backoff_delay(policy, 1, half) == 500ms);
    CHECK(backoff_delay(policy, 3, half) == 2000ms);

    const milliseconds ceilings[] = {500ms, 1000ms, 2000ms, 4000ms, 8000ms, 16000ms, 30000ms};
    for (int retry = 0; retry < 7; ++retry) {
        CAPTURE(retry);
        const milliseconds d = backoff_delay(policy, retry, almost_one);
        CHECK(d <= ceilings[retry]);
        CHECK(d >= ceilings[retry] - 1ms);
    }
    // Overflow safety: huge retry counts stay at the cap.
    for (int retry : {31, 62, 63, 64, 1000, 1 << 30}) {
        CAPTURE(retry);
        const milliseconds d = backoff_delay(policy, retry, almost_one);
        CHECK(d <= 30'000ms);
        CHECK(d >= 29'999ms);
    }
    // Out-of-range draws and negative retries are clamped.
    CHECK(backoff_delay(policy, -3, half) == 250ms);
    CHECK(backoff_delay(policy, 0, [] { return 7.0; }) == 500ms);
    CHECK(backoff_delay(policy, 0, [] { return -1.0; }) == 0ms);
}

TEST_CASE("http::parse_retry_after") {
    // 1994-11-06 08:49:37 UTC, the RFC 9110 example date.
    const system_clock::time_point example = system_clock::from_time_t(784111777);

    struct Row {
        const char* value;
        std::optional<milliseconds> expected;
    };

    const Row rows[] = {
        {"0", 0ms},
        {"120", 120'000ms},
        {"  7 ", 7000ms},
        {"\t3\r\n", 3000ms},
        {"999999999999", milliseconds(24h)},
        {"86401", milliseconds(24h)},
        {"-1", std::nullopt},
        {"1.5", std::nullopt},
        {"+5", std::nullopt},
        {"", std::nullopt},
        {"soon", std::nullopt},
        {"5 seconds", std::nullopt},
        // The three HTTP-date forms, 10 s after `now`.
        {"Sun, 06 Nov 1994 08:49:47 GMT", 10'000ms},
        {"Sunday, 06-Nov-94 08:49:47 GMT", 10'000ms},
        {"Sun Nov  6 08:49:47 1994", 10'000ms},
        // Dates in the past mean "now".
        {"Sun, 06 Nov 1994 08:49:36 GMT", 0ms},
        {"Thu, 01 Jan 1970 00:00:00 GMT", 0ms},
        {"Sun, 06 Nov 1994 08:49:37 GMT", 0ms},
        // Far future is clamped.
        {"Fri, 31 Dec 9999 23:59:59 GMT", milliseconds(24h)},
        // Malformed dates.
        {"Sun, 31 Feb 1994 08:49:37 GMT", std::nullopt},
        {"Sun, 06 Foo 1994 08:49:37 GMT", std::nullopt},
        {"Sun, 06 Nov 1994 25:49:37 GMT", std::nullopt},
        {"Sun, 06 Nov 1994 08:49 GMT", std::nullopt},
        {"Sun, 06 Nov 1994 08:49:37 PST", std::nullopt},
        {"Xyz, 06 Nov 1994 08:49:37 GMT", std::nullopt},
        {"Sunday, 06-Nov-1994 08:49:37 GMT", std::nullopt},
    };
    for (const Row& row : rows) {
        CAPTURE(std::string(row.value));
        CHECK(parse_retry_after(row.value, example) == row.expected);
    }

    SUBCASE("RFC 850 two-digit years more than 50 years ahead are in the past century") {
        const system_clock::time_point in_2030 = system_clock::from_time_t(1893456000);
        // "01-Jan-31" is 2031, a year after `now`.
        auto next_year = parse_retry_after("Wednesday, 01-Jan-31 00:00:00 GMT", in_2030);
        REQUIRE(next_year);
        CHECK(*next_year == milliseconds(24h)); // clamped, but in the future
        // "01-Jan-99" would be 2099 (> 50 years ahead), so it is 1999: the past.
        CHECK(parse_retry_after("Friday, 01-Jan-99 00:00:00 GMT", in_2030) == 0ms);
    }
    SUBCASE("a date relative to the real clock") {
        const system_clock::time_point now = system_clock::now();
        auto wait = parse_retry_after(http_date(now + 90s), now);
        REQUIRE(wait);
        CHECK(*wait <= 90'000ms);
        CHECK(*wait >= 89'000ms);
    }
}

TEST_CASE("http::classify_attempt") {
    struct Row {
        const char* method;
        long status; // 0: a transport error
        bool idempotent;
        bool outcome_unknown;
        RetryVerdict expected;
    };

    using V = RetryVerdict;
    const Row rows[] = {
        {"GET", 200, false, false, V::done},
        {"GET", 404, false, false, V::done},
        {"GET", 400, false, false, V::done},
        {"GET", 429, false, false, V::retry},
        {"GET", 500, false, false, V::retry},
        {"GET", 503, false, false, V::retry},
        {"PUT", 502, false, false, V::retry},
        {"DELETE", 504, false, false, V::retry},
        {"POST", 201, false, false, V::done},
        {"POST", 400, false, false, V::done},
        {"POST", 401, false, false, V::done},
        {"POST", 422, false, false, V::done},
        {"POST", 429, false, false, V::retry},
        {"POST", 503, false, false, V::retry},
        {"POST", 500, false, false, V::give_up_unknown_outcome},
        {"POST", 502, false, false, V::give_up_unknown_outcome},
        {"POST", 504, false, false, V::give_up_unknown_outcome},
        {"PATCH", 500, false, false, V::give_up_unknown_outcome},
        {"POST", 500, true, false, V::retry},
        {"GET", 0, false, false, V::retry},
        {"GET", 0, false, true, V::retry},
        {"POST", 0, false, false, V::retry},
        {"POST", 0, false, true, V::give_up_unknown_outcome},
        {"POST", 0, true, true, V::retry},
    };
    for (const Row& row : rows) {
        CAPTURE(std::string(row.method));
        CAPTURE(row.status);
        CAPTURE(row.outcome_unknown);
        CAPTURE(row.idempotent);
        const Request req = request(row.method, row.idempotent);
        const Result<Response> attempt =
            row.status == 0 ? Result<Response>(transport_error(row.outcome_unknown))
                            : Result<Response>(response(row.status));
        CHECK(classify_attempt(req, attempt) == row.expected);
    }

    SUBCASE("non-temporary transport errors are final") {
        const Result<Response> tls = transport_error(false, ErrorKind::config);
        CHECK(classify_attempt(request("GET"), tls) == V::done);
        const Result<Response> oversize = transport_error(true, ErrorKind::failure);
        CHECK(classify_attempt(request("POST"), oversize) == V::done);
    }
}

TEST_CASE("http::RetryingTransport retries 429 honouring Retry-After") {
    ScriptedTransport inner({response(429, {{"Retry-After", "7"}}), response(200)});
    FakeTime time;
    RetryingTransport transport(inner, RetryPolicy{}, time.sleeper(), time.clock(), 42);
    std::vector<std::string> trace;
    transport.set_trace([&trace](std::string_view line) { trace.emplace_back(line); });

    auto result = transport.send(request("POST"));
    REQUIRE(result);
    CHECK(result->status == 200);
    CHECK(inner.requests.size() == 2);
    REQUIRE(time.sleeps.size() == 1);
    CHECK(time.sleeps[0] == 7000ms); // the default backoff ceiling is only 500 ms
    CHECK(transport.retries() == 1);
    REQUIRE(trace.size() == 1);
    CHECK(trace[0].rfind("* retrying in 7000 ms", 0) == 0);
}

TEST_CASE("http::RetryingTransport uses backoff when it exceeds Retry-After") {
    RetryPolicy policy;
    policy.base_delay = 10'000ms;
    policy.max_delay = 10'000ms;
    ScriptedTransport inner({response(503, {{"retry-after", "1"}}), response(200)});
    FakeTime time;
    RetryingTransport transport(inner, policy, time.sleeper(), time.clock(), 1);
    auto result = transport.send(request("GET"));
    REQUIRE(result);
    REQUIRE(time.sleeps.size() == 1);
    CHECK(time.sleeps[0] >= 1000ms);
    CHECK(time.sleeps[0] <= 10'000ms);
}

TEST_CASE("http::RetryingTransport honours an HTTP-date Retry-After") {
    ScriptedTransport inner(
        {response(503, {{"Retry-After", http_date(system_clock::now() + 30s)}}), response(200)});
    FakeTime time;
    RetryingTransport transport(inner, RetryPolicy{}, time.sleeper(), time.clock(), 3);
    auto result = transport.send(request("GET"));
    REQUIRE(result);
    REQUIRE(time.sleeps.size() == 1);
    CHECK(time.sleeps[0] >= 28'000ms);
    CHECK(time.sleeps[0] <= 30'000ms);
}

TEST_CASE("http::RetryingTransport stops at max_attempts") {
    RetryPolicy policy;
    policy.max_attempts = 3;
    ScriptedTransport inner({response(503)});
    FakeTime time;
    RetryingTransport transport(inner, policy, time.sleeper(), time.clock(), 7);
    auto result = transport.send(request("GET"));
    REQUIRE(result);
    CHECK(result->status == 503);
    CHECK(inner.requests.size() == 3);
    CHECK(time.sleeps.size() == 2);
    CHECK(transport.retries() == 2);
    // Each sleep stays within its backoff ceiling.
    CHECK(time.sleeps[0] <= 500ms);
    CHECK(time.sleeps[1] <= 1000ms);
}

TEST_CASE("http::RetryingTransport never retries 4xx other than 429") {
    for (long status : {400L, 401L, 403L, 404L, 409L, 422L}) {
        CAPTURE(status);
        ScriptedTransport inner({response(status), response(200)});
        FakeTime time;
        RetryingTransport transport(inner, RetryPolicy{}, time.sleeper(), time.clock(), 1);
        auto result = transport.send(request("GET"));
        REQUIRE(result);
        CHECK(result->status == status);
        CHECK(inner.requests.size() == 1);
        CHECK(time.sleeps.empty());
    }
}

TEST_CASE("http::RetryingTransport does not retry POST + 500") {
    ScriptedTransport inner({response(500), response(201)});
    FakeTime time;
    RetryingTransport transport(inner, RetryPolicy{}, time.sleeper(), time.clock(), 1);
    auto result = transport.send(request("POST"));
    REQUIRE(result); // the response itself comes back; the caller decides
    CHECK(result->status == 500);
    CHECK(inner.requests.size() == 1);
    CHECK(time.sleeps.empty());
}

TEST_CASE("http::RetryingTransport retries POST + 503 and idempotent POST + 500") {
    {
        ScriptedTransport inner({response(503), response(201)});
        FakeTime time;
        RetryingTransport transport(inner, RetryPolicy{}, time.sleeper(), time.clock(), 1);
        auto result = transport.send(request("POST"));
        REQUIRE(result);
        CHECK(result->status == 201);
        CHECK(inner.requests.size() == 2);
    }
    {
        ScriptedTransport inner({response(500), response(200)});
        FakeTime time;
        RetryingTransport transport(inner, RetryPolicy{}, time.sleeper(), time.clock(), 1);
        auto result = transport.send(request("POST", true));
        REQUIRE(result);
        CHECK(result->status == 200);
        CHECK(inner.requests.size() == 2);
    }
}

TEST_CASE("http::RetryingTransport retries POST after a connect failure") {
    ScriptedTransport inner({transport_error(false), transport_error(false), response(201)});
    FakeTime time;
    RetryingTransport transport(inner, RetryPolicy{}, time.sleeper(), time.clock(), 1);
    auto result = transport.send(request("POST"));
    REQUIRE(result);
    CHECK(result->status == 201);
    CHECK(inner.requests.size() == 3);
    CHECK(transport.retries() == 2);
    for (const Request& sent : inner.requests) {
        CHECK(sent.method == "POST");
        CHECK(sent.url == "https://api.example.com/x");
    }
}

TEST_CASE("http::RetryingTransport gives up on a POST whose outcome is unknown") {
    Error dropped = transport_error(false);
    dropped.outcome_unknown = true;
    ScriptedTransport inner({dropped, response(201)});
    FakeTime time;
    RetryingTransport transport(inner, RetryPolicy{}, time.sleeper(), time.clock(), 1);
    auto result = transport.send(request("POST"));
    REQUIRE_FALSE(result);
    CHECK(result.error().outcome_unknown);
    CHECK(result.error().kind == ErrorKind::temporary);
    CHECK(inner.requests.size() == 1);
    CHECK(time.sleeps.empty());
}

TEST_CASE("http::RetryingTransport retries GET transport errors, not TLS errors") {
    {
        ScriptedTransport inner({transport_error(true), response(200)});
        FakeTime time;
        RetryingTransport transport(inner, RetryPolicy{}, time.sleeper(), time.clock(), 1);
        auto result = transport.send(request("GET"));
        REQUIRE(result);
        CHECK(inner.requests.size() == 2);
    }
    {
        ScriptedTransport inner({transport_error(false, ErrorKind::config), response(200)});
        FakeTime time;
        RetryingTransport transport(inner, RetryPolicy{}, time.sleeper(), time.clock(), 1);
        auto result = transport.send(request("GET"));
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == ErrorKind::config);
        CHECK(inner.requests.size() == 1);
    }
}

TEST_CASE("http::RetryingTransport respects max_total") {
    SUBCASE("a Retry-After beyond the budget is not waited for") {
        RetryPolicy policy;
        policy.max_total = 10'000ms;
        ScriptedTransport inner({response(429, {{"Retry-After", "60"}}), response(200)});
        FakeTime time;
        RetryingTransport transport(inner, policy, time.sleeper(), time.clock(), 1);
        auto result = transport.send(request("GET"));
        REQUIRE(result);
        CHECK(result->status == 429);
        CHECK(inner.requests.size() == 1);
        CHECK(time.sleeps.empty());
    }
    SUBCASE("the sum of sleeps stays within the budget") {
        RetryPolicy policy;
        policy.max_attempts = 100;
        policy.base_delay = 1000ms;
        policy.max_delay = 1000ms;
        policy.max_total = 2500ms;
        ScriptedTransport inner({response(429, {{"Retry-After", "1"}})});
        FakeTime time;
        RetryingTransport transport(inner, policy, time.sleeper(), time.clock(), 1);
        auto result = transport.send(request("GET"));
        REQUIRE(result);
        CHECK(result->status == 429);
        milliseconds total{0};
        for (milliseconds d : time.sleeps) {
            total += d;
        }
        CHECK(total <= 2500ms);
        CHECK(time.sleeps.size() == 2); // 1 s each (Retry-After); a third would end at 3 s
        CHECK(inner.requests.size() == 3);
    }
    SUBCASE("time spent inside attempts counts too") {
        RetryPolicy policy;
        policy.max_total = 5000ms;
        FakeTime time;

        class SlowTransport final : public Transport {
          public:
            explicit SlowTransport(FakeTime& t)
                : m_time(t) {}

            Result<Response> send(const Request&) override {
                ++calls;
                m_time.now += 4000ms; // each attempt takes 4 s
                return response(503);
            }

            int calls = 0;

          private:
            FakeTime& m_time;
        } inner(time);

        RetryingTransport transport(inner, policy, time.sleeper(), time.clock(), 1);
        auto result = transport.send(request("GET"));
        REQUIRE(result);
        // After the first 4 s attempt a backoff of at most 500 ms still fits in 5 s; after the
        // second attempt (8 s and more) nothing does.
        CHECK(inner.calls == 2);
        CHECK(time.sleeps.size() == 1);
    }
}
