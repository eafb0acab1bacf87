#pragma once

// Transports for many requests in flight at once (bulk send).

#include <pjats/http/http.hpp>
#include <pjats/http/rate_limiter.hpp>
#include <pjats/http/send_guard.hpp>
#include <pjats/http/retry.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>

namespace pjats::http {

// The libcurl multi-interface transport. send() may be called from many threads at once:
// each call hands its request to one event-loop thread, which drives every transfer over a
// shared connection pool (at most `max_connections` per host; HTTP/2 multiplexing where
// offered), and blocks until that request has finished. A single request behaves exactly
// like make_curl_transport's (options, TLS rules, loopback-only http, redirects, size cap,
// error mapping, trace lines). The trace sink is called from the loop thread and from the
// calling threads, so it must be thread-safe. Destroying the transport waits for the
// transfers in flight; sends still queued then fail.
std::unique_ptr<Transport> make_multi_transport(TransportOptions options, int max_connections);

// RetryingTransport for many threads: every send() runs its own retry loop (own jitter
// source), so callers never share backoff state; they do share `hold` (empty: a private
// one), so a server's long Retry-After stops every caller. The trace sink must be
// thread-safe.
class ConcurrentRetryingTransport final : public Transport {
  public:
    ConcurrentRetryingTransport(Transport& inner,
                                RetryPolicy policy,
                                TraceSink trace = {},
                                std::shared_ptr<ServerHold> hold = {});

    Result<Response> send(const Request& request) override;

    // Retries performed so far by all callers.
    int retries() const {
        return m_retries.load();
    }

  private:
    Transport& m_inner;
    RetryPolicy m_policy;
    TraceSink m_trace;
    std::shared_ptr<ServerHold> m_hold;
    std::mutex m_seed_mutex;
    std::mt19937_64 m_seeds;
    std::atomic<int> m_retries{0};
};

// Takes a token from `bucket` before every request it passes on (a client-side request
// rate, e.g. `send --rate`). Thread-safe when `inner` is.
class PacedTransport final : public Transport {
  public:
    PacedTransport(Transport& inner, TokenBucket& bucket)
        : m_inner(inner),
          m_bucket(bucket) {}

    Result<Response> send(const Request& request) override {
        m_bucket.acquire();
        PJATS_TRY(check_send_guard(request)); // the wait may have been long (or frozen)
        return m_inner.send(request);
    }

  private:
    Transport& m_inner;
    TokenBucket& m_bucket;
};

} // namespace pjats::http
