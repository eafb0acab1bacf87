#pragma once

// Pacing for a server whose rate limit is not published (Greenhouse Ingestion): start with
// a small burst and grow fast (slow start), learn the accepted rate from 429 answers, then
// stay just under it and probe upwards slowly (additive increase, multiplicative decrease).
// The arithmetic is pure functions over AdaptiveRate with the time passed in;
// AdaptivePacer holds the state for many threads, AdaptivePacedTransport is the decorator.

#include <pjats/http/http.hpp>
#include <pjats/http/shared_bucket.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace pjats::http {

using PaceClock = std::chrono::steady_clock;

struct AdaptiveParams {
    double initial_rate = 4.0;   // req/s of a first run, also its first burst
    double min_rate = 0.5;       // never slower
    double max_rate = 1000.0;    // never faster
    // Slow start doubles the rate every `doubling` until the first 429.
    std::chrono::milliseconds doubling{500};
    double decrease = 0.85;      // a 429 cuts the rate to at most this share of it...
    double headroom = 0.97;      // ...and to at most this share of the accepted rate
    double probe = 0.03;         // after a cut: + this share of the cut rate per second
    std::chrono::milliseconds window{1'000}; // the accepted rate is measured over this
    std::chrono::milliseconds burst_time{1'000}; // the bucket holds this much of the rate
};

// The learned pace. `slow_start` until the first 429; `base` is the rate set by the last
// cut (or the remembered rate).
struct AdaptiveRate {
    double rate = 0;
    double base = 0;
    bool slow_start = true;
    bool cut = false;                  // a 429 has cut the rate at least once
    PaceClock::time_point last_cut{};  // meaningful when `cut`
};

// A first run: slow start from params.initial_rate. A remembered rate (> 0): no slow start,
// starting at that rate.
AdaptiveRate start_rate(const AdaptiveParams& params, double remembered);

// An accepted answer: in slow start the rate rises by ln 2 / doubling per answer (so it
// doubles every `doubling` while every request is accepted), else by probe·base/rate (+
// probe·base per second of sending). Growth follows answers, not idle time. Within
// [min_rate, max_rate].
AdaptiveRate accepted(const AdaptiveParams& params, AdaptiveRate state);

// A 429 for a request sent at `sent`, answered at `now`, while `accepted_rate` requests per
// second were accepted over the last window. A request sent before the last cut was paced
// by the old rate and changes nothing (one cut per round trip, as TCP does); otherwise the
// rate becomes min(decrease·rate, headroom·accepted_rate), at least min_rate.
AdaptiveRate throttled(const AdaptiveParams& params,
                       AdaptiveRate state,
                       PaceClock::time_point sent,
                       PaceClock::time_point now,
                       double accepted_rate);

// The tokens of a bucket refilled at `rate` up to `burst` over `seconds` (none if negative).
double refill(double tokens, double rate, double burst, double seconds);

// The bucket size for `rate`: rate·burst_time, at least 1.
double burst_for(const AdaptiveParams& params, double rate);

// Thread-safe holder of an AdaptiveRate and its token bucket.
class AdaptivePacer {
  public:
    using Clock = std::function<PaceClock::time_point()>;

    // `remembered` > 0: the rate a previous run learnt for this key.
    explicit AdaptivePacer(AdaptiveParams params = {}, double remembered = 0, Clock clock = {});

    // From now on the bucket's balance lives in `file` (one budget per key across the
    // processes of a machine; the rate stays this pacer's); null: in-process.
    void share(std::unique_ptr<SharedBucketFile> file);

    // Takes a token if one is there (returns 0), else returns how long until one is,
    // taking nothing: callers sleep and ask again, so a cut applies to every waiter.
    std::chrono::microseconds try_take();

    // The answer to a request sent at `sent`: accepted (anything but 429) or throttled.
    void accepted(PaceClock::time_point sent);
    void throttled(PaceClock::time_point sent);

    // When the last accepted answer came; nullopt before the first.
    std::optional<PaceClock::time_point> last_accept() const;

    PaceClock::time_point now() const { return m_clock(); }

    // The current rate (req/s), and whether a 429 has taught anything yet.
    double rate() const;
    // The rate worth remembering for the next run: after a 429 in this run, the rate that
    // cut set (just under what the server accepted; probing since may have passed the
    // limit); else the current one.
    double learnt_rate() const;
    bool learned() const;
    int throttles() const;

  private:
    double accepted_rate(PaceClock::time_point now);

    AdaptiveParams m_params;
    Clock m_clock;
    mutable std::mutex m_mutex;
    AdaptiveRate m_state;
    double m_tokens;
    PaceClock::time_point m_updated;
    std::deque<PaceClock::time_point> m_accepts; // answer times within the window
    std::optional<PaceClock::time_point> m_last_accept;
    int m_throttles = 0;
    std::unique_ptr<SharedBucketFile> m_shared;
};

// Paces every request through `pacer` and resends a 429 itself (it was refused unprocessed,
// so a POST too) after the pacer slowed down and at least the Retry-After (up to
// `max_retry_after`). It never gives up on a request while the server accepts others; a
// 429 is passed on (to the retry layer above, with its hold logic) when nothing at all was
// accepted for `patience`, or when Retry-After asks for more than `max_retry_after`.
// Thread-safe when `inner` is.
class AdaptivePacedTransport final : public Transport {
  public:
    using Sleeper = std::function<void(std::chrono::microseconds)>;

    AdaptivePacedTransport(Transport& inner,
                           AdaptivePacer& pacer,
                           Sleeper sleeper = {},
                           std::chrono::milliseconds patience = std::chrono::seconds{120},
                           std::chrono::milliseconds max_retry_after = std::chrono::seconds{30});

    Result<Response> send(const Request& request) override;

    // Receives a "* 429 ..." line for each 429 absorbed here; empty: silent.
    void set_trace(TraceSink trace) { m_trace = std::move(trace); }

  private:
    void wait_for_token();

    Transport& m_inner;
    AdaptivePacer& m_pacer;
    Sleeper m_sleep;
    std::chrono::milliseconds m_patience;
    std::chrono::milliseconds m_max_retry_after;
    TraceSink m_trace;
};

// The file under `state_dir` that remembers the pace learnt for one credential:
// "<state_dir>/pace/<target>-<16 hex digits of the key's SHA-256>"; the key itself is
// never written.
std::string pace_state_file(const std::string& state_dir,
                            const std::string& target,
                            const std::string& key);

// The rate remembered in `path`; nullopt when absent or unreadable.
std::optional<double> load_learned_rate(const std::string& path);

// Remembers `rate` in `path` (0600, written to a temporary file and renamed; directories
// created 0700). Errors are ignored by callers: the memory is an optimisation.
Status save_learned_rate(const std::string& path, double rate);

} // namespace pjats::http
