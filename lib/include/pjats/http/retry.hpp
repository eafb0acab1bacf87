#pragma once

#include <pjats/http/http.hpp>
#include <pjats/http/server_hold.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string_view>
#include <utility>

namespace pjats::http {

struct RetryPolicy {
    int max_attempts = 6;                              // including the first one
    std::chrono::milliseconds base_delay{500};         // first backoff ceiling
    std::chrono::milliseconds max_delay{30'000};       // cap of one backoff
    std::chrono::milliseconds max_total{120'000};      // give up once this much time is spent
};

// Full-jitter exponential backoff: a uniform draw from [0, min(max_delay, base * 2^retry)],
// `retry` counting from 0. `uniform01` returns values in [0, 1).
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy,
                                        int retry,
                                        const std::function<double()>& uniform01);

// Parses a Retry-After value relative to `now`: delta-seconds, an HTTP-date (IMF-fixdate,
// RFC 850 and asctime forms), or a Unix timestamp (all digits and at least 1,000,000,000,
// i.e. from 2001 on; some servers send one instead of delta-seconds). Past times give 0,
// waits beyond 24 hours are clamped to 24 hours, garbage gives nullopt.
std::optional<std::chrono::milliseconds>
parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now);

// Why a response or transport error should (not) be retried.
enum class RetryVerdict { done, retry, give_up_unknown_outcome };

// Decides for one attempt. 429 is always retried (the server refused it unprocessed);
// other 5xx and transport errors are retried for idempotent requests; for a POST only
// 503 and connect-phase failures are, anything else ends with an unknown outcome.
RetryVerdict classify_attempt(const Request& request, const Result<Response>& attempt);

// Decorator adding retries with backoff to any Transport. Sleeping and time are injected
// so the arithmetic is unit-tested without waiting.
// The delay before a retry is max(backoff_delay, Retry-After of a 429/503). Retrying stops
// after `max_attempts` or when the next sleep would end past `max_total` since the first
// attempt; the last Response or Error is then returned as is. A 429/503 whose Retry-After
// alone ends past `max_total` is returned at once, without sleeping, and puts the origin
// on `hold` until then: every later send to that origin (through any transport sharing
// the hold) fails at once, without a request, with a temporary Error saying until when the
// server asked to wait. The hold's wall clock also dates Retry-After values. On give_up_unknown_outcome a
// transport Error is returned with `outcome_unknown` set, while a 5xx Response to a POST is
// returned unchanged: callers treat a non-idempotent 5xx as an unknown outcome themselves.
class RetryingTransport final : public Transport {
  public:
    using Sleeper = std::function<void(std::chrono::milliseconds)>;
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    // `hold` empty: a private one.
    RetryingTransport(Transport& inner, RetryPolicy policy, Sleeper sleeper = {},
                      Clock clock = {}, std::uint64_t seed = std::random_device{}(),
                      std::shared_ptr<ServerHold> hold = {});

    Result<Response> send(const Request& request) override;

    // Number of retries performed so far (for summaries and tests).
    int retries() const { return m_retries; }

    // Receives a "* retrying in N ms ..." line before each retry; empty: silent.
    void set_trace(TraceSink trace) { m_trace = std::move(trace); }

  private:
    Transport& m_inner;
    RetryPolicy m_policy;
    Sleeper m_sleep;
    Clock m_now;
    std::mt19937_64 m_rng;
    std::shared_ptr<ServerHold> m_hold;
    int m_retries = 0;
    TraceSink m_trace;
};

} // namespace pjats::http
