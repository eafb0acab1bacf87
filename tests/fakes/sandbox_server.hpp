#pragma once

// The sandbox: the Greenhouse, Lever and Lever OAuth fakes on one HTTP(S) server bound to
// 127.0.0.1, plus latency, random 503s, scripted faults, rate limits and a control API:
//
//   GET  /_sandbox/state          everything received, counters, OAuth statistics
//   POST /_sandbox/reset          forget all of it (faults, tokens and buckets too)
//   POST /_sandbox/faults         append fault rules (see fault_queue.hpp)
//   POST /_sandbox/oauth          {"deny": true|false}: consent denial on /authorize
//   POST /_sandbox/expire_tokens  expire every issued access token now
//
// Used in-process by unit tests (start/stop) and by pj-ats-sandbox (bind/listen).

#include "fake_data.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace pjats::fakes {

struct SandboxOptions {
    int port = 0;           // 0: any free port
    int latency_ms = 0;     // added to every API response
    double fail_rate = 0.0; // probability of a 503 before processing
    std::uint64_t seed = 1; // for fail_rate
    double lever_rate = 10; // requests per second per credential; 0: unlimited
    double lever_burst = 20;
    double greenhouse_rate = 0; // 0: unlimited
    double greenhouse_burst = 10;
    int token_ttl = k_default_token_ttl_seconds;
    std::string tls_cert; // both set: serve HTTPS
    std::string tls_key;
    int postings = k_default_posting_count;
    bool log_requests = false; // an access-log line per request on stderr
};

class SandboxServer {
  public:
    explicit SandboxServer(SandboxOptions options);
    ~SandboxServer();
    SandboxServer(const SandboxServer&) = delete;
    SandboxServer& operator=(const SandboxServer&) = delete;

    // Binds 127.0.0.1:port exclusively (no SO_REUSEPORT: a port another process listens
    // on is refused). Returns false and sets `error` on failure (port in use, bad TLS
    // files).
    bool bind(std::string& error);

    // Serves until stop(). Call after bind().
    void listen();

    // bind() then listen() on a background thread; stop() joins it.
    bool start(std::string& error);

    // Stops serving (any thread).
    void stop();

    int port() const;

    // "http://127.0.0.1:PORT" (https with TLS).
    std::string base_url() const;

    // The start-up lines: the URL, then `name=value` lines with the sample credentials,
    // then an empty line.
    std::string banner() const;

    // The same JSON as GET /_sandbox/state.
    std::string state_json() const;

    // The same as POST /_sandbox/reset.
    void reset();

    // The same as POST /_sandbox/faults; false with `error` for a bad rule list.
    bool add_faults(const std::string& rules_json, std::string& error);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace pjats::fakes
