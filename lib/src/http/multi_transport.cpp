// The libcurl multi-interface Transport: callers on many threads, one event-loop thread.
//
// A send() queues a Job and waits for it. The loop thread owns the CURLM handle and a pool
// of easy handles: it starts queued jobs (EasyRequest::prepare, curl_multi_add_handle),
// drives the transfers, and finishes each one (curl_multi_remove_handle, then
// EasyRequest::finish) before waking its caller. Connections live in the multi handle's
// cache, so every transfer to a host shares the pool. Redirects are followed by the
// calling thread, one job per hop, with the same policy as the single-handle transport.

#include "curl_request.hpp"

#include <pjats/http/multi_transport.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pjats::http {

namespace {

using detail::curl;
using detail::CurlEasy;
using detail::EasyRequest;
using detail::Tracer;

struct CurlMultiDeleter {
    void operator()(CURLM* multi) const noexcept {
        curl().multi_cleanup(multi);
    }
};

using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;

// One attempt handed from a calling thread to the loop.
struct Job {
    const Request* request = nullptr;
    std::string url;
    std::string location;
    std::optional<Result<Response>> result; // set by the loop, then `done`
    bool done = false;
};

// A transfer the loop has added to the multi handle.
struct Active {
    Job* job = nullptr;
    CurlEasy easy;
    std::unique_ptr<EasyRequest> attempt;
};

constexpr int k_poll_timeout_ms = 1000;

class MultiTransport final : public Transport {
  public:
    MultiTransport(TransportOptions options, int max_connections)
        : m_options(detail::resolve_options(std::move(options))),
          m_tracer(m_options.trace),
          m_multi(detail::load_curl() != nullptr ? curl().multi_init() : nullptr) {
        if (!m_multi) {
            return;
        }
        const long connections = max_connections > 0 ? max_connections : 1;
        curl().multi_setopt(m_multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS, connections);
        curl().multi_setopt(m_multi.get(), CURLMOPT_MAXCONNECTS, connections);
        curl().multi_setopt(m_multi.get(), CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
        m_loop = std::thread([this] { loop(); });
    }

    MultiTransport(const MultiTransport&) = delete;
    MultiTransport& operator=(const MultiTransport&) = delete;
    MultiTransport(MultiTransport&&) = delete;
    MultiTransport& operator=(MultiTransport&&) = delete;

    ~MultiTransport() override {
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_stopping = true;
        }
        if (m_loop.joinable()) {
            curl().multi_wakeup(m_multi.get());
            m_loop.join();
        }
    }

    Result<Response> send(const Request& request) override {
        PJATS_TRY(detail::check_request(request));
        if (!m_multi) {
            return detail::no_handle_error("a multi handle");
        }
        return detail::follow_redirects(
            request, m_tracer, [&](const std::string& url, std::string& location) {
                return run(request, url, location);
            });
    }

  private:
    Result<Response> run(const Request& request, const std::string& url, std::string& location);
    void loop();
    void start(Job* job, std::vector<CurlEasy>& idle, std::unordered_map<CURL*, Active>& active);
    void collect(std::vector<CurlEasy>& idle, std::unordered_map<CURL*, Active>& active);
    void complete(Job* job, Result<Response> result);

    TransportOptions m_options;
    Tracer m_tracer;
    CurlMulti m_multi;

    std::mutex m_mutex;
    std::condition_variable m_done;
    std::deque<Job*> m_queue; // guarded by m_mutex
    bool m_stopping = false;  // guarded by m_mutex
    std::thread m_loop;       // last: started once everything above exists
};

Result<Response>
MultiTransport::run(const Request& request, const std::string& url, std::string& location) {
    Job job;
    job.request = &request;
    job.url = url;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (m_stopping) {
            return make_error(ErrorKind::failure, "the HTTP transport is shutting down");
        }
        m_queue.push_back(&job);
    }
    curl().multi_wakeup(m_multi.get());
    std::unique_lock<std::mutex> lock(m_mutex);
    m_done.wait(lock, [&job] { return job.done; });
    location = std::move(job.location);
    return std::move(*job.result);
}

void MultiTransport::complete(Job* job, Result<Response> result) {
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        job->result.emplace(std::move(result));
        job->done = true;
    }
    m_done.notify_all();
}

void MultiTransport::start(Job* job,
                           std::vector<CurlEasy>& idle,
                           std::unordered_map<CURL*, Active>& active) {
    CurlEasy easy;
    if (!idle.empty()) {
        easy = std::move(idle.back());
        idle.pop_back();
    } else {
        easy.reset(curl().easy_init());
    }
    if (!easy) {
        complete(job, make_error(ErrorKind::failure, "libcurl could not create a handle"));
        return;
    }
    auto attempt = std::make_unique<EasyRequest>(easy.get(), m_options, m_tracer);
    if (Status prepared = attempt->prepare(*job->request, job->url); !prepared) {
        attempt.reset();
        idle.push_back(std::move(easy));
        complete(job, std::move(prepared).error());
        return;
    }
    const CURLMcode added = curl().multi_add_handle(m_multi.get(), easy.get());
    if (added != CURLM_OK) {
        attempt.reset();
        idle.push_back(std::move(easy));
        complete(job,
                 make_error(ErrorKind::failure,
                            std::string("cannot start the HTTP request: ")
                                + curl().multi_strerror(added)));
        return;
    }
    CURL* handle = easy.get();
    active.emplace(handle, Active{job, std::move(easy), std::move(attempt)});
}

void MultiTransport::collect(std::vector<CurlEasy>& idle,
                             std::unordered_map<CURL*, Active>& active) {
    int left = 0;
    while (CURLMsg* message = curl().multi_info_read(m_multi.get(), &left)) {
        if (message->msg != CURLMSG_DONE) {
            continue;
        }
        const auto it = active.find(message->easy_handle);
        if (it == active.end()) {
            continue;
        }
        const CURLcode code = message->data.result; // `message` dies with the removal
        Active done = std::move(it->second);
        active.erase(it);
        curl().multi_remove_handle(m_multi.get(), done.easy.get());
        Result<Response> result = done.attempt->finish(code, done.job->location);
        done.attempt.reset();
        idle.push_back(std::move(done.easy));
        complete(done.job, std::move(result));
    }
}

void MultiTransport::loop() {
    std::vector<CurlEasy> idle; // declared first: outlives every transfer below
    std::unordered_map<CURL*, Active> active;
    for (;;) {
        std::deque<Job*> incoming;
        bool stopping = false;
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            incoming.swap(m_queue);
            stopping = m_stopping;
        }
        for (Job* job : incoming) {
            start(job, idle, active);
        }
        if (stopping && active.empty()) {
            return; // no job can be queued any more: send() refuses once stopping is set
        }
        int running = 0;
        curl().multi_perform(m_multi.get(), &running);
        collect(idle, active);
        curl().multi_poll(m_multi.get(), nullptr, 0, k_poll_timeout_ms, nullptr);
    }
}

} // namespace

std::unique_ptr<Transport> make_multi_transport(TransportOptions options, int max_connections) {
    return std::make_unique<MultiTransport>(std::move(options), max_connections);
}

ConcurrentRetryingTransport::ConcurrentRetryingTransport(Transport& inner,
                                                         RetryPolicy policy,
                                                         TraceSink trace,
                                                         std::shared_ptr<ServerHold> hold)
    : m_inner(inner),
      m_policy(policy),
      m_trace(std::move(trace)),
      m_hold(hold ? std::move(hold) : std::make_shared<ServerHold>()),
      m_seeds(std::random_device{}()) {}

Result<Response> ConcurrentRetryingTransport::send(const Request& request) {
    std::uint64_t seed = 0;
    {
        const std::lock_guard<std::mutex> lock(m_seed_mutex);
        seed = m_seeds();
    }
    RetryingTransport once(m_inner, m_policy, {}, {}, seed, m_hold);
    if (m_trace) {
        once.set_trace(m_trace);
    }
    Result<Response> result = once.send(request);
    m_retries += once.retries();
    return result;
}

} // namespace pjats::http
