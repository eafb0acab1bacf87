#include <pjats/http/rate_limiter.hpp>

#include <doctest/doctest.h>

#include <chrono>

using namespace std::chrono_literals;
using pjats::http::TokenBucket;
using std::chrono::microseconds;
using std::chrono::steady_clock;

TEST_CASE("http::TokenBucket burst then steady rate") {
    steady_clock::time_point now{};
    TokenBucket bucket(10.0, 20.0, [&now] { return now; });
    CHECK(bucket.rate() == doctest::Approx(10.0));

    // Starts full: a burst of 20 goes through without waiting.
    for (int i = 0; i < 20; ++i) {
        CAPTURE(i);
        CHECK(bucket.reserve() == 0us);
    }
    // Then callers queue: each reservation waits 100 ms longer than the one before.
    CHECK(bucket.reserve() == 100'000us);
    CHECK(bucket.reserve() == 200'000us);
    CHECK(bucket.reserve() == 300'000us);

    // After 1 s, 10 tokens arrived, 3 of which pay back the queue.
    now += 1s;
    for (int i = 0; i < 7; ++i) {
        CAPTURE(i);
        CHECK(bucket.reserve() == 0us);
    }
    CHECK(bucket.reserve() == 100'000us);

    // A long idle period refills to `burst`, not beyond.
    now += 1h;
    for (int i = 0; i < 20; ++i) {
        CHECK(bucket.reserve() == 0us);
    }
    CHECK(bucket.reserve() == 100'000us);
}

TEST_CASE("http::TokenBucket partial refill") {
    steady_clock::time_point now{};
    TokenBucket bucket(4.0, 1.0, [&now] { return now; });
    CHECK(bucket.reserve() == 0us);
    CHECK(bucket.reserve() == 250'000us);
    now += 125ms; // half a token arrives: the queue is now half a token deep
    CHECK(bucket.reserve() == 375'000us);
}

TEST_CASE("http::TokenBucket clock going backwards adds no tokens") {
    steady_clock::time_point now = steady_clock::time_point{} + 10s;
    TokenBucket bucket(1.0, 1.0, [&now] { return now; });
    CHECK(bucket.reserve() == 0us);
    now -= 5s;
    CHECK(bucket.reserve() == 1'000'000us);
}

TEST_CASE("http::TokenBucket with no rate never waits") {
    TokenBucket bucket(0.0, 1.0);
    for (int i = 0; i < 100; ++i) {
        CHECK(bucket.reserve() == 0us);
    }
    bucket.acquire();
}

TEST_CASE("http::TokenBucket acquire takes a token") {
    steady_clock::time_point now{};
    TokenBucket bucket(1.0, 2.0, [&now] { return now; });
    bucket.acquire(); // no wait: the bucket starts full
    bucket.acquire();
    CHECK(bucket.reserve() == 1'000'000us);
}
