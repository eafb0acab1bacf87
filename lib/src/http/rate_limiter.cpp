// Token bucket whose balance may go negative: every caller reserves its token at once and
// learns how long to wait, so concurrent callers are served in arrival order without a
// condition variable.

#include <pjats/http/rate_limiter.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <thread>

namespace pjats::http {

TokenBucket::TokenBucket(double rate, double burst, Clock clock)
    : m_rate(rate),
      m_burst(std::max(burst, 1.0)),
      m_tokens(m_burst),
      m_clock(clock ? std::move(clock) : Clock(&std::chrono::steady_clock::now)) {
    m_last = m_clock();
}

std::chrono::microseconds TokenBucket::reserve() {
    if (!(m_rate > 0.0)) {
        return std::chrono::microseconds{0};
    }
    const std::lock_guard<std::mutex> lock(m_mutex);
    const std::chrono::steady_clock::time_point now = m_clock();
    if (now > m_last) {
        const std::chrono::duration<double> elapsed = now - m_last;
        m_tokens = std::min(m_burst, m_tokens + elapsed.count() * m_rate);
        m_last = now;
    }
    m_tokens -= 1.0;
    if (m_tokens >= 0.0) {
        return std::chrono::microseconds{0};
    }
    // The small bias keeps float noise (0.1 s computed as 100000.00001 us) from adding 1 us.
    const double wait_us = std::ceil(-m_tokens / m_rate * 1e6 - 1e-3);
    return std::chrono::microseconds{static_cast<std::int64_t>(wait_us)};
}

void TokenBucket::acquire() {
    const std::chrono::microseconds wait = reserve();
    if (wait.count() > 0) {
        note_rate_limit_wait(wait);
        std::this_thread::sleep_for(wait);
    }
}

namespace {

std::mutex g_waits_mutex;
RateLimitWaits g_waits;

} // namespace

RateLimitWaits rate_limit_waits() {
    const std::lock_guard<std::mutex> lock(g_waits_mutex);
    return g_waits;
}

void note_rate_limit_wait(std::chrono::microseconds waited) {
    const std::lock_guard<std::mutex> lock(g_waits_mutex);
    ++g_waits.count;
    g_waits.seconds += static_cast<double>(waited.count()) / 1e6;
}

} // namespace pjats::http
