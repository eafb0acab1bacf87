#pragma once

#include <chrono>
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

} // namespace pjats::http
