// The libcurl multi transport against servers on 127.0.0.1: many threads at once, a shared
// connection pool, and the same results and errors as the single-handle transport.

#include "test_http_support.hpp"

#include <pjats/http/multi_transport.hpp>

#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using pjats::ErrorKind;
using pjats::http::make_multi_transport;
using pjats::http::Request;
using pjats::http::TransportOptions;
using pjats::http_test::contains;
using pjats::http_test::make_request;
using pjats::http_test::RawServer;
using pjats::http_test::Running;
using pjats::http_test::test_options;
using pjats::http_test::UniqueFd;

namespace {


// Counts requests and the client ports they came from; each handler waits until
// `m_gate` requests are being handled at once (or a generous timeout), so a transport
// that sent one request at a time would show a concurrency of 1.
class Recorder {
  public:
    explicit Recorder(int gate)
        : m_gate(gate) {}

    void handle(const httplib::Request& req, httplib::Response& res) {
        std::unique_lock<std::mutex> lock(m_mutex);
        ++m_requests;
        ++m_in_flight;
        m_max_in_flight = std::max(m_max_in_flight, m_in_flight);
        m_ports.insert(req.remote_port);
        ++m_arrived;
        m_changed.notify_all();
        m_changed.wait_for(lock, 10s, [this] { return m_arrived >= m_gate; });
        --m_in_flight;
        res.set_content(req.method + " " + req.path + " " + req.body, "text/plain");
    }

    int requests() const {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_requests;
    }

    int max_in_flight() const {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_max_in_flight;
    }

    std::size_t connections() const {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_ports.size();
    }

  private:
    const int m_gate;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    int m_requests = 0;
    int m_in_flight = 0;
    int m_max_in_flight = 0;
    int m_arrived = 0;
    std::set<int> m_ports;
};

} // namespace

TEST_CASE("http::MultiTransport serves many threads at once over a few connections") {
    constexpr int k_threads = 20;
    constexpr int k_connections = 4;
    Recorder recorder(k_connections);
    Running<httplib::Server> srv;
    srv.server().set_keep_alive_max_count(1000); // httplib closes after 5 by default
    srv.server().Post(R"(/item/(\d+))",
                      [&recorder](const httplib::Request& req, httplib::Response& res) {
                          recorder.handle(req, res);
                      });
    srv.start();
    auto transport = make_multi_transport(test_options(), k_connections);

    std::vector<std::string> bodies(k_threads);
    std::vector<long> statuses(k_threads, 0);
    std::vector<std::thread> threads;
    for (int i = 0; i < k_threads; ++i) {
        threads.emplace_back([&, i] {
            auto r = transport->send(make_request(
                "POST", srv.url("/item/" + std::to_string(i)), "body" + std::to_string(i)));
            if (r) {
                statuses[static_cast<std::size_t>(i)] = r->status;
                bodies[static_cast<std::size_t>(i)] = r->body;
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    for (int i = 0; i < k_threads; ++i) {
        CAPTURE(i);
        CHECK(statuses[static_cast<std::size_t>(i)] == 200);
        // Each caller got its own answer, not another thread's.
        CHECK(bodies[static_cast<std::size_t>(i)]
              == "POST /item/" + std::to_string(i) + " body" + std::to_string(i));
    }
    CHECK(recorder.requests() == k_threads);
    CHECK(recorder.max_in_flight() == k_connections);
    CHECK(recorder.connections() <= static_cast<std::size_t>(k_connections));

    // Later calls reuse the pooled connections.
    for (int i = 0; i < 3; ++i) {
        auto r = transport->send(make_request("POST", srv.url("/item/99"), "again"));
        REQUIRE(r);
        CHECK(r->status == 200);
    }
    CHECK(recorder.connections() <= static_cast<std::size_t>(k_connections));
}

TEST_CASE("http::MultiTransport answers like the single-handle transport") {
    Running<httplib::Server> srv;
    srv.server().Get("/hello", [](const httplib::Request& req, httplib::Response& res) {
        res.set_header("X-Echo-Agent", req.get_header_value("User-Agent"));
        res.set_header("X-Had-Expect", req.has_header("Expect") ? "yes" : "no");
        res.set_content("hello", "text/plain");
    });
    srv.server().Get("/missing", [](const httplib::Request&, httplib::Response& res) {
        res.status = 404;
        res.set_content(R"({"message":"nope"})", "application/json");
    });
    srv.server().Get("/moved", [](const httplib::Request&, httplib::Response& res) {
        res.set_redirect("/hello", 302);
    });
    srv.server().Get("/big", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(10'000, 'x'), "application/octet-stream");
    });
    srv.start();

    TransportOptions options = test_options();
    options.max_response_bytes = 1000;
    auto transport = make_multi_transport(options, 2);

    auto hello = transport->send(make_request("GET", srv.url("/hello")));
    REQUIRE(hello);
    CHECK(hello->status == 200);
    CHECK(hello->body == "hello");
    CHECK(hello->header("x-echo-agent") == pjats::http::default_user_agent());
    CHECK(hello->header("X-Had-Expect") == "no");

    auto missing = transport->send(make_request("GET", srv.url("/missing")));
    REQUIRE(missing);
    CHECK(missing->status == 404);
    CHECK(missing->body == R"({"message":"nope"})");

    auto moved = transport->send(make_request("GET", srv.url("/moved")));
    REQUIRE(moved);
    CHECK(moved->status == 200);
    CHECK(moved->body == "hello");

    auto big = transport->send(make_request("GET", srv.url("/big")));
    REQUIRE_FALSE(big);
    CHECK(contains(big.error().message, "response larger than 1000 bytes"));

    auto remote = transport->send(make_request("GET", "http://example.com/x"));
    REQUIRE_FALSE(remote);
    CHECK(remote.error().kind == ErrorKind::config);

    Request injected = make_request("GET", srv.url("/hello"));
    injected.headers.push_back({"X-Bad", "a\r\nInjected: 1"});
    CHECK_FALSE(transport->send(injected));
}

TEST_CASE("http::MultiTransport maps transport errors like the single-handle transport") {
    auto transport = make_multi_transport(test_options(), 4);

    UniqueFd blocker(::socket(AF_INET, SOCK_STREAM, 0));
    const int port = pjats::http_test::bind_loopback(blocker); // bound, never listening
    auto refused = transport->send(
        make_request("POST", "http://127.0.0.1:" + std::to_string(port) + "/c", "{}"));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == ErrorKind::temporary);
    CHECK_FALSE(refused.error().outcome_unknown);
    CHECK(contains(refused.error().message, "127.0.0.1"));

    RawServer dropping(RawServer::Mode::close_after_request);
    auto dropped = transport->send(make_request(
        "POST", "http://127.0.0.1:" + std::to_string(dropping.port()) + "/c", "{\"a\":1}"));
    REQUIRE_FALSE(dropped);
    CHECK(dropped.error().kind == ErrorKind::temporary);
    CHECK(dropped.error().outcome_unknown);
    CHECK(contains(dropping.received(), "{\"a\":1}"));

    RawServer silent(RawServer::Mode::never_answer);
    TransportOptions quick = test_options();
    quick.total_timeout = 300ms;
    auto short_lived = make_multi_transport(quick, 1);
    auto timed_out = short_lived->send(
        make_request("GET", "http://127.0.0.1:" + std::to_string(silent.port()) + "/c"));
    REQUIRE_FALSE(timed_out);
    CHECK(timed_out.error().kind == ErrorKind::temporary);
    CHECK_FALSE(timed_out.error().outcome_unknown); // a GET may be sent again
}

TEST_CASE("http::MultiTransport traces from its loop thread, redacted") {
    Running<httplib::Server> srv;
    srv.server().Get("/t", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("ok", "text/plain");
    });
    srv.start();
    std::mutex mutex;
    std::vector<std::string> lines;
    TransportOptions options = test_options();
    options.trace = [&](std::string_view line) {
        const std::lock_guard<std::mutex> lock(mutex);
        lines.emplace_back(line);
    };
    auto transport = make_multi_transport(options, 2);
    Request request = make_request("GET", srv.url("/t"));
    request.headers.push_back({"Authorization", "Bearer trace-secret-value"});
    REQUIRE(transport->send(request));
    transport.reset(); // joins the loop thread: every line is in
    std::string all;
    for (const std::string& line : lines) {
        all += line + "\n";
    }
    CHECK(contains(all, "> GET /t HTTP/1.1"));
    CHECK(contains(all, "HTTP 200 in"));
    CHECK_FALSE(contains(all, "trace-secret-value"));
}

TEST_CASE("http::ConcurrentRetryingTransport retries per caller and counts all retries") {
    std::atomic<int> calls{0};
    Running<httplib::Server> srv;
    srv.server().Get(R"(/r/(\d+))", [&calls](const httplib::Request& req, httplib::Response& res) {
        // Every path fails once with 503, then succeeds.
        static std::mutex seen_mutex;
        static std::set<std::string> seen;
        ++calls;
        const std::lock_guard<std::mutex> lock(seen_mutex);
        if (seen.insert(req.path).second) {
            res.status = 503;
            res.set_header("Retry-After", "0");
            return;
        }
        res.set_content("ok", "text/plain");
    });
    srv.start();
    auto multi = make_multi_transport(test_options(), 4);
    pjats::http::RetryPolicy policy;
    policy.base_delay = 1ms;
    pjats::http::ConcurrentRetryingTransport retrying(*multi, policy);
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            auto r = retrying.send(make_request("GET", srv.url("/r/" + std::to_string(i))));
            if (r && r->status == 200) {
                ++ok;
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    CHECK(ok == 8);
    CHECK(calls == 16);
    CHECK(retrying.retries() == 8);
}
