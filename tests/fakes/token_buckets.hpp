#pragma once

// Token-bucket rate limiting keyed by credential (thread-safe).

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace pjats::fakes {

// What one take() decided.
struct BucketDecision {
    bool allowed = true;
    double remaining = 0;     // whole tokens left after this request
    double retry_after_s = 0; // when refused: seconds until a token is available
};

// One bucket per key: `rate` tokens per second refill up to `burst`; every request takes one.
// A rate <= 0 disables limiting.
class TokenBuckets {
  public:
    TokenBuckets(double rate, double burst);

    bool enabled() const {
        return m_rate > 0;
    }

    double burst() const {
        return m_burst;
    }

    // Takes a token from `key`'s bucket (created full).
    BucketDecision take(const std::string& key);

    // Forgets every bucket (all start full again).
    void reset();

  private:
    struct Bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point updated;
    };

    double m_rate;
    double m_burst;
    std::mutex m_mutex;
    std::map<std::string, Bucket> m_buckets;
};

} // namespace pjats::fakes
