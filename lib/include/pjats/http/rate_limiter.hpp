#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>

namespace pjats::http {

// A thread-safe token bucket: `rate` tokens per second, holding at most `burst`.
// Starts full. Time is injected for tests. A `rate` of 0 or less means no limit.
class TokenBucket {
  public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    TokenBucket(double rate, double burst, Clock clock = {});

    // How long to wait before a token is available, taking it (reserving) if it is.
    // Callers sleep for the returned duration and then proceed: the token is theirs.
    std::chrono::microseconds reserve();

    // Blocks until a token is available, then takes it.
    void acquire();

    double rate() const { return m_rate; }

  private:
    double m_rate;
    double m_burst;
    double m_tokens;
    std::chrono::steady_clock::time_point m_last;
    Clock m_clock;
    std::mutex m_mutex;
};

// Process-wide count of the waits a rate limit imposed on this process's requests: a pacer
// holding a request back (TokenBucket::acquire), or a 429 answered by waiting before the
// retry (RetryingTransport). For the metrics of a run; thread-safe.
struct RateLimitWaits {
    std::int64_t count = 0;
    double seconds = 0.0;
};
RateLimitWaits rate_limit_waits();
void note_rate_limit_wait(std::chrono::microseconds waited);

} // namespace pjats::http
