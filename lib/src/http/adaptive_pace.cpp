// Adaptive pacing for an unpublished rate limit: the arithmetic, the shared pacer, the
// decorator and the small file that remembers a key's rate between runs.
#include <pjats/core/fingerprint.hpp>
#include <pjats/http/adaptive_pace.hpp>
#include <pjats/http/retry.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace pjats::http {

using namespace std::chrono;

namespace {

double seconds_of(PaceClock::duration d) {
    return duration<double>(d).count();
}

double clamp_rate(const AdaptiveParams& params, double rate) {
    if (!(rate > params.min_rate)) {
        return params.min_rate;
    }
    return std::min(rate, params.max_rate);
}

} // namespace

AdaptiveRate start_rate(const AdaptiveParams& params, double remembered) {
    AdaptiveRate state;
    if (remembered > 0) {
        state.rate = clamp_rate(params, remembered);
        state.base = state.rate;
        state.slow_start = false;
    } else {
        state.rate = clamp_rate(params, params.initial_rate);
        state.base = state.rate;
    }
    return state;
}

AdaptiveRate accepted(const AdaptiveParams& params, AdaptiveRate state) {
    if (state.slow_start) {
        const double doubling = std::max(0.001, seconds_of(params.doubling));
        state.rate += std::log(2.0) / doubling;
    } else {
        state.rate += params.probe * state.base / std::max(state.rate, params.min_rate);
    }
    state.rate = clamp_rate(params, state.rate);
    return state;
}

AdaptiveRate throttled(const AdaptiveParams& params,
                       AdaptiveRate state,
                       PaceClock::time_point sent,
                       PaceClock::time_point now,
                       double accepted_rate) {
    if (state.cut && sent < state.last_cut) {
        return state; // paced by the rate before the last cut
    }
    double next = params.decrease * state.rate;
    if (accepted_rate > 0) {
        next = std::min(next, params.headroom * accepted_rate);
    }
    state.rate = clamp_rate(params, next);
    state.base = state.rate;
    state.slow_start = false;
    state.cut = true;
    state.last_cut = now;
    return state;
}

double refill(double tokens, double rate, double burst, double seconds) {
    if (!(seconds > 0) || !(rate > 0)) {
        return std::min(tokens, burst);
    }
    return std::min(burst, tokens + seconds * rate);
}

double burst_for(const AdaptiveParams& params, double rate) {
    return std::max(1.0, rate * seconds_of(params.burst_time));
}

AdaptivePacer::AdaptivePacer(AdaptiveParams params, double remembered, Clock clock)
    : m_params(params),
      m_clock(clock ? std::move(clock) : Clock(&PaceClock::now)),
      m_state(start_rate(m_params, remembered)),
      m_tokens(burst_for(m_params, m_state.rate)),
      m_updated(m_clock()) {}

void AdaptivePacer::share(std::unique_ptr<SharedBucketFile> file) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_shared = std::move(file);
}

microseconds AdaptivePacer::try_take() {
    const std::lock_guard<std::mutex> lock(m_mutex); // flock does not exclude our own threads
    // The key's shared budget once a limit is known (learnt here or remembered); in slow
    // start there is none yet, and sharing the small start rate would hold back-to-back
    // single sends to it.
    if (m_shared && !m_state.slow_start) {
        bool taken = false;
        const double before = m_shared->exchange(
            m_state.rate, burst_for(m_params, m_state.rate), [&taken](double balance) {
                taken = balance >= 1.0;
                return taken ? 1.0 : 0.0;
            });
        if (taken) {
            return microseconds{0};
        }
        const double wait_us = std::ceil((1.0 - before) / m_state.rate * 1e6);
        return microseconds{std::max<std::int64_t>(1, static_cast<std::int64_t>(wait_us))};
    }
    const PaceClock::time_point now = m_clock();
    m_tokens = refill(m_tokens, m_state.rate, burst_for(m_params, m_state.rate),
                      seconds_of(now - m_updated));
    if (now > m_updated) {
        m_updated = now;
    }
    if (m_tokens >= 1.0) {
        m_tokens -= 1.0;
        return microseconds{0};
    }
    const double wait_us = std::ceil((1.0 - m_tokens) / m_state.rate * 1e6);
    return microseconds{std::max<std::int64_t>(1, static_cast<std::int64_t>(wait_us))};
}

double AdaptivePacer::accepted_rate(PaceClock::time_point now) {
    while (!m_accepts.empty() && m_accepts.front() <= now - m_params.window) {
        m_accepts.pop_front();
    }
    return static_cast<double>(m_accepts.size()) / std::max(0.001, seconds_of(m_params.window));
}

void AdaptivePacer::accepted(PaceClock::time_point /*sent*/) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    const PaceClock::time_point now = m_clock();
    m_accepts.push_back(now);
    accepted_rate(now); // drops what left the window
    m_last_accept = now;
    m_state = http::accepted(m_params, m_state);
}

void AdaptivePacer::throttled(PaceClock::time_point sent) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    const PaceClock::time_point now = m_clock();
    ++m_throttles;
    const bool was_cut = m_state.cut;
    const PaceClock::time_point last_cut = m_state.last_cut;
    m_state = http::throttled(m_params, m_state, sent, now, accepted_rate(now));
    if (!was_cut || m_state.last_cut != last_cut) {
        // The server's bucket is empty: do not spend ours on it as a burst.
        m_tokens = std::min(0.0, refill(m_tokens, m_state.rate, burst_for(m_params, m_state.rate),
                                        seconds_of(now - m_updated)));
        m_updated = std::max(m_updated, now);
        if (m_shared && !m_state.slow_start) {
            m_shared->exchange(m_state.rate, burst_for(m_params, m_state.rate),
                               [](double balance) { return std::max(balance, 0.0); });
        }
    }
}

std::optional<PaceClock::time_point> AdaptivePacer::last_accept() const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_last_accept;
}

double AdaptivePacer::rate() const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_state.rate;
}

double AdaptivePacer::learnt_rate() const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_throttles > 0 && m_state.cut ? m_state.base : m_state.rate;
}

bool AdaptivePacer::learned() const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return !m_state.slow_start;
}

int AdaptivePacer::throttles() const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_throttles;
}

AdaptivePacedTransport::AdaptivePacedTransport(Transport& inner,
                                               AdaptivePacer& pacer,
                                               Sleeper sleeper,
                                               milliseconds patience,
                                               milliseconds max_retry_after)
    : m_inner(inner),
      m_pacer(pacer),
      m_sleep(sleeper ? std::move(sleeper)
                      : Sleeper([](microseconds d) { std::this_thread::sleep_for(d); })),
      m_patience(patience),
      m_max_retry_after(max_retry_after) {}

void AdaptivePacedTransport::wait_for_token() {
    // Waiters sleep until a token should be there and ask again: a cut meanwhile slows them.
    for (;;) {
        const microseconds wait = m_pacer.try_take();
        if (wait.count() == 0) {
            return;
        }
        m_sleep(wait);
    }
}

Result<Response> AdaptivePacedTransport::send(const Request& request) {
    const PaceClock::time_point first = m_pacer.now();
    for (;;) {
        wait_for_token();
        const PaceClock::time_point sent = m_pacer.now();
        Result<Response> result = m_inner.send(request);
        if (!result) {
            return result; // no answer: neither accepted nor throttled
        }
        if (result->status != 429) {
            m_pacer.accepted(sent);
            return result;
        }
        m_pacer.throttled(sent);
        std::optional<milliseconds> retry_after;
        if (const std::optional<std::string> header = result->header("Retry-After")) {
            retry_after = parse_retry_after(*header, system_clock::now());
        }
        if (retry_after && *retry_after > m_max_retry_after) {
            return result; // a long wait: the retry layer's Retry-After rules decide
        }
        const PaceClock::time_point now = m_pacer.now();
        const std::optional<PaceClock::time_point> last = m_pacer.last_accept();
        const PaceClock::time_point progress = last ? std::max(first, *last) : first;
        if (now - progress > m_patience) {
            return result; // nothing accepted for too long: not a rate the pacer can meet
        }
        if (m_trace) {
            char rate[32];
            std::snprintf(rate, sizeof rate, "%.2f", m_pacer.rate());
            m_trace(std::string("* 429: pacing at ") + rate + " req/s, sending again"
                    + (retry_after ? " after " + std::to_string(retry_after->count()) + " ms"
                                   : std::string()));
        }
        if (retry_after && retry_after->count() > 0) {
            m_sleep(duration_cast<microseconds>(*retry_after));
        }
    }
}

std::string pace_state_file(const std::string& state_dir,
                            const std::string& target,
                            const std::string& key) {
    return state_dir + "/pace/" + target + "-" + sha256_hex(key).substr(0, 16);
}

std::optional<double> load_learned_rate(const std::string& path) {
    std::ifstream in(path);
    std::string word;
    double rate = 0;
    if (!(in >> word >> rate) || word != "rate" || !(rate > 0) || !std::isfinite(rate)) {
        return std::nullopt;
    }
    return rate;
}

namespace {

Status make_dirs(const std::string& dir) {
    if (dir.empty()) {
        return {};
    }
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0) {
        return {};
    }
    const std::string::size_type slash = dir.rfind('/');
    if (slash != std::string::npos && slash > 0) {
        PJATS_TRY(make_dirs(dir.substr(0, slash)));
    }
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        return make_error(ErrorKind::failure, "cannot create " + dir + ": " + std::strerror(errno));
    }
    return {};
}

} // namespace

Status save_learned_rate(const std::string& path, double rate) {
    const std::string::size_type slash = path.rfind('/');
    if (slash != std::string::npos) {
        PJATS_TRY(make_dirs(path.substr(0, slash)));
    }
    const std::string tmp = path + ".tmp" + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return make_error(ErrorKind::failure, "cannot write " + tmp + ": " + std::strerror(errno));
    }
    char text[64];
    const int n = std::snprintf(text, sizeof text, "rate %.4f\n", rate);
    const bool written = n > 0 && ::write(fd, text, static_cast<std::size_t>(n)) == n;
    ::close(fd);
    if (!written || ::rename(tmp.c_str(), path.c_str()) != 0) {
        ::unlink(tmp.c_str());
        return make_error(ErrorKind::failure, "cannot write " + path);
    }
    return {};
}

} // namespace pjats::http
