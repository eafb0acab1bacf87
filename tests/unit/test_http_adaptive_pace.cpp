#include <pjats/http/adaptive_pace.hpp>

#include "support/temp_env.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>

using namespace std::chrono_literals;
using namespace pjats;
using http::AdaptiveParams;
using http::AdaptivePacer;
using http::AdaptivePacedTransport;
using http::AdaptiveRate;
using http::PaceClock;

namespace {

// A server limiting one key to `rate` req/s with bursts of `burst`, on the fake clock:
// each request takes `latency`, a refused one is a 429 with the fake's Retry-After.
class LimitedServer final : public http::Transport {
  public:
    LimitedServer(PaceClock::time_point& now, double rate, double burst,
                  std::chrono::milliseconds latency)
        : m_now(now), m_rate(rate), m_burst(burst), m_tokens(burst), m_latency(latency),
          m_updated(now) {}

    Result<http::Response> send(const http::Request&) override {
        m_now += m_latency;
        m_tokens = std::min(m_burst, m_tokens + std::chrono::duration<double>(m_now - m_updated).count() * m_rate);
        m_updated = m_now;
        http::Response response;
        if (m_tokens >= 1.0 && !m_refuse_all) {
            m_tokens -= 1.0;
            ++accepted;
            response.status = 201;
            return response;
        }
        ++refused;
        response.status = 429;
        const double wait = m_refuse_all ? 1.0 : (1.0 - m_tokens) / m_rate;
        response.headers.push_back(
            {"Retry-After", std::to_string(static_cast<long>(std::max(1.0, std::ceil(wait))))});
        return response;
    }

    void refuse_all() { m_refuse_all = true; }

    int accepted = 0;
    int refused = 0;

  private:
    PaceClock::time_point& m_now;
    double m_rate;
    double m_burst;
    double m_tokens;
    std::chrono::milliseconds m_latency;
    PaceClock::time_point m_updated;
    bool m_refuse_all = false;
};

struct FakeTime {
    PaceClock::time_point now = PaceClock::time_point{} + 1000s;
    AdaptivePacer::Clock clock() {
        return [this] { return now; };
    }
    AdaptivePacedTransport::Sleeper sleeper() {
        return [this](std::chrono::microseconds d) { now += d; };
    }
};

http::Request post() {
    http::Request request;
    request.method = "POST";
    request.url = "http://127.0.0.1:9/v1/partner/candidates";
    return request;
}

} // namespace

TEST_CASE("adaptive pace: a first run slow-starts; a remembered rate starts there") {
    const AdaptiveParams params;
    const AdaptiveRate first = http::start_rate(params, 0);
    CHECK(first.slow_start);
    CHECK(first.rate == doctest::Approx(params.initial_rate));
    const AdaptiveRate again = http::start_rate(params, 4.8);
    CHECK_FALSE(again.slow_start);
    CHECK(again.rate == doctest::Approx(4.8));
    CHECK(http::start_rate(params, 0.01).rate == doctest::Approx(params.min_rate));
}

TEST_CASE("adaptive pace: slow start doubles per `doubling` of accepted answers") {
    AdaptiveParams params;
    params.doubling = 500ms;
    AdaptiveRate state = http::start_rate(params, 0);
    // Sending at rate r for 0.5 s brings r/2 answers, each adding ln2/0.5: about 2 r.
    const double step = std::log(2.0) / 0.5;
    state = http::accepted(params, state);
    CHECK(state.rate == doctest::Approx(params.initial_rate + step));
    for (int i = 0; i < 10'000; ++i) {
        state = http::accepted(params, state);
    }
    CHECK(state.rate == doctest::Approx(params.max_rate)); // capped
}

TEST_CASE("adaptive pace: a 429 cuts once per round trip, below the accepted rate") {
    const AdaptiveParams params;
    const PaceClock::time_point t0 = PaceClock::time_point{} + 100s;
    AdaptiveRate state = http::start_rate(params, 0);
    state.rate = 16;
    // Accepted 5.2/s over the window: the rate becomes 0.97 · 5.2, not 0.85 · 16.
    state = http::throttled(params, state, t0, t0 + 300ms, 5.2);
    CHECK_FALSE(state.slow_start);
    CHECK(state.rate == doctest::Approx(0.97 * 5.2));
    CHECK(state.base == doctest::Approx(state.rate));
    // A 429 for a request sent before that cut was paced by the old rate: no second cut.
    const AdaptiveRate same = http::throttled(params, state, t0 + 100ms, t0 + 400ms, 5.0);
    CHECK(same.rate == doctest::Approx(state.rate));
    // One sent after the cut cuts again: 0.85 of the rate when that is lower.
    const AdaptiveRate again = http::throttled(params, state, t0 + 500ms, t0 + 800ms, 6.0);
    CHECK(again.rate == doctest::Approx(0.85 * state.rate));
    // Never below min_rate, even with nothing accepted.
    AdaptiveRate low = state;
    for (int i = 0; i < 50; ++i) {
        low = http::throttled(params, low, t0 + std::chrono::seconds(2 + i), t0 + std::chrono::seconds(3 + i), 0);
    }
    CHECK(low.rate == doctest::Approx(params.min_rate));
}

TEST_CASE("adaptive pace: after a cut the rate grows by probe · base per second of sending") {
    const AdaptiveParams params;
    AdaptiveRate state = http::start_rate(params, 5.0);
    // 5 answers (one second at 5/s) add about probe · 5.
    for (int i = 0; i < 5; ++i) {
        state = http::accepted(params, state);
    }
    CHECK(state.rate == doctest::Approx(5.0 + params.probe * 5.0).epsilon(0.01));
}

TEST_CASE("adaptive pace: the pacer's bucket; a cut leaves no burst for an empty server") {
    FakeTime time;
    AdaptivePacer pacer(AdaptiveParams{}, 0, time.clock());
    // The first burst is the initial rate (4): then a token every 1/4 s.
    for (int i = 0; i < 4; ++i) {
        CHECK(pacer.try_take() == 0us);
    }
    CHECK(pacer.try_take() == 250'000us);
    CHECK(pacer.try_take() == 250'000us); // asking takes nothing
    time.now += 250ms;
    CHECK(pacer.try_take() == 0us);
    time.now += 10s; // idle: the bucket refills to one second of the rate, not beyond
    for (int i = 0; i < 4; ++i) {
        CHECK(pacer.try_take() == 0us);
    }
    CHECK(pacer.try_take() > 0us);
    time.now += 10s;
    const PaceClock::time_point sent = time.now;
    time.now += 300ms;
    pacer.throttled(sent);
    CHECK(pacer.learned());
    CHECK(pacer.try_take() > 0us); // the refilled bucket was emptied by the cut
}

TEST_CASE("adaptive pace: 200 sends against an unknown 5 req/s limit: all once, few 429s, near ideal") {
    FakeTime time;
    LimitedServer server(time.now, 5.0, 5.0, 50ms);
    AdaptivePacer pacer(AdaptiveParams{}, 0, time.clock());
    AdaptivePacedTransport paced(server, pacer, time.sleeper());
    const PaceClock::time_point start = time.now;
    constexpr int k_count = 200;
    for (int i = 0; i < k_count; ++i) {
        const Result<http::Response> response = paced.send(post());
        REQUIRE(response);
        REQUIRE(response->status == 201); // never given up
    }
    CHECK(server.accepted == k_count);
    const double elapsed = std::chrono::duration<double>(time.now - start).count();
    CAPTURE(elapsed);
    CAPTURE(server.refused);
    CHECK(server.refused <= (k_count + server.refused) / 10);
    // One at a time, a refused request also waits out its Retry-After (1 s) alone.
    CHECK(elapsed <= 1.2 * (k_count - 5) / 5.0 + server.refused);
    // The rate learnt stays at or under the limit, close to it.
    CHECK(pacer.learned());
    CHECK(pacer.rate() <= 5.5);
    CHECK(pacer.rate() >= 3.0);
}

TEST_CASE("adaptive pace: a remembered rate sends near the limit at once and draws few 429s") {
    FakeTime time;
    // No latency, so the pacer alone sets the pace.
    LimitedServer server(time.now, 5.0, 5.0, 0ms);
    AdaptivePacer pacer(AdaptiveParams{}, 4.9, time.clock());
    AdaptivePacedTransport paced(server, pacer, time.sleeper());
    const PaceClock::time_point start = time.now;
    for (int i = 0; i < 200; ++i) {
        REQUIRE(paced.send(post())->status == 201);
    }
    const double elapsed = std::chrono::duration<double>(time.now - start).count();
    const double ideal = (200 - 5) / 5.0;
    CAPTURE(elapsed);
    CAPTURE(server.refused);
    CHECK(elapsed <= 1.2 * ideal);
    CHECK(server.refused <= 20);
    CHECK(server.accepted == 200);
}

TEST_CASE("adaptive pace: a first run without latency learns the limit within 1.2x the ideal") {
    FakeTime time;
    LimitedServer server(time.now, 5.0, 5.0, 0ms);
    AdaptivePacer pacer(AdaptiveParams{}, 0, time.clock());
    AdaptivePacedTransport paced(server, pacer, time.sleeper());
    const PaceClock::time_point start = time.now;
    for (int i = 0; i < 200; ++i) {
        REQUIRE(paced.send(post())->status == 201);
    }
    const double elapsed = std::chrono::duration<double>(time.now - start).count();
    CAPTURE(elapsed);
    CAPTURE(server.refused);
    CHECK(elapsed <= 1.2 * (200 - 5) / 5.0);
    CHECK(server.refused <= 20);
}

TEST_CASE("adaptive pace: a 429 goes up only after `patience` with nothing accepted") {
    FakeTime time;
    LimitedServer server(time.now, 5.0, 5.0, 10ms);
    server.refuse_all();
    AdaptivePacer pacer(AdaptiveParams{}, 0, time.clock());
    AdaptivePacedTransport paced(server, pacer, time.sleeper(), 20s);
    const PaceClock::time_point start = time.now;
    const Result<http::Response> response = paced.send(post());
    REQUIRE(response);
    CHECK(response->status == 429);
    CHECK(time.now - start > 20s);
    CHECK(time.now - start < 25s);
}

TEST_CASE("adaptive pace: a Retry-After beyond the cap is passed up at once") {
    struct LongWait final : http::Transport {
        int calls = 0;
        Result<http::Response> send(const http::Request&) override {
            ++calls;
            http::Response response;
            response.status = 429;
            response.headers.push_back({"Retry-After", "3600"});
            return response;
        }
    } server;
    FakeTime time;
    AdaptivePacer pacer(AdaptiveParams{}, 0, time.clock());
    AdaptivePacedTransport paced(server, pacer, time.sleeper());
    CHECK(paced.send(post())->status == 429);
    CHECK(server.calls == 1);
}

TEST_CASE("adaptive pace: the learnt rate is remembered under a hash of the key, never the key") {
    test::TempDir dir;
    const std::string key = "gh_secret_key_123";
    const std::string path = http::pace_state_file(dir.path() + "/state", "greenhouse", key);
    CHECK(path.find(key) == std::string::npos);
    CHECK(path.rfind(dir.path() + "/state/pace/greenhouse-", 0) == 0);
    CHECK(path != http::pace_state_file(dir.path() + "/state", "greenhouse", "other"));
    CHECK_FALSE(http::load_learned_rate(path));
    REQUIRE(http::save_learned_rate(path, 4.85));
    const std::optional<double> rate = http::load_learned_rate(path);
    REQUIRE(rate);
    CHECK(*rate == doctest::Approx(4.85));
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().find(key) == std::string::npos);
}
