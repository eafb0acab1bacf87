// Token-bucket rate limiting keyed by credential.
#include "token_buckets.hpp"

#include <algorithm>

namespace pjats::fakes {

TokenBuckets::TokenBuckets(double rate, double burst)
    : m_rate(rate),
      m_burst(std::max(burst, 1.0)) {}

BucketDecision TokenBuckets::take(const std::string& key) {
    BucketDecision decision;
    if (!enabled()) {
        return decision;
    }
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(m_mutex);
    auto [it, inserted] = m_buckets.try_emplace(key);
    Bucket& bucket = it->second;
    if (inserted) {
        bucket.tokens = m_burst;
    } else {
        const std::chrono::duration<double> elapsed = now - bucket.updated;
        bucket.tokens = std::min(m_burst, bucket.tokens + elapsed.count() * m_rate);
    }
    bucket.updated = now;
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        decision.remaining = bucket.tokens;
        return decision;
    }
    decision.allowed = false;
    decision.remaining = 0;
    decision.retry_after_s = (1.0 - bucket.tokens) / m_rate;
    return decision;
}

void TokenBuckets::reset() {
    std::lock_guard lock(m_mutex);
    m_buckets.clear();
}

} // namespace pjats::fakes
