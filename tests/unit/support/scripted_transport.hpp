#pragma once

// An in-memory http::Transport for API client tests: it records every request and answers
// with responses scripted in advance, in order. An unscripted request is answered with an
// Error (kind failure, message "unscripted request: METHOD URL") so a test notices it.

#include <pjats/http/http.hpp>

#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pjats::test {

class ScriptedTransport final : public http::Transport {
  public:
    // Called with each request before it is answered (e.g. to look at the disk at the
    // moment a request goes out). May return a response that replaces the scripted one.
    using Hook = std::function<std::optional<Result<http::Response>>(const http::Request&)>;

    // Queues a response with `status` and `body` (and optional headers).
    ScriptedTransport&
    respond(long status, std::string body, std::vector<http::Header> headers = {}) {
        http::Response response;
        response.status = status;
        response.body = std::move(body);
        response.headers = std::move(headers);
        std::lock_guard<std::mutex> guard(m_mutex);
        m_script.emplace_back(std::move(response));
        return *this;
    }

    // Queues a transport failure (no HTTP response).
    ScriptedTransport& fail(Error error) {
        std::lock_guard<std::mutex> guard(m_mutex);
        m_script.emplace_back(std::move(error));
        return *this;
    }

    void on_send(Hook hook) {
        std::lock_guard<std::mutex> guard(m_mutex);
        m_hook = std::move(hook);
    }

    Result<http::Response> send(const http::Request& request) override {
        Hook hook;
        {
            std::lock_guard<std::mutex> guard(m_mutex);
            m_requests.push_back(request);
            hook = m_hook;
        }
        if (hook) {
            if (auto replaced = hook(request)) {
                return std::move(*replaced);
            }
        }
        std::lock_guard<std::mutex> guard(m_mutex);
        if (m_script.empty()) {
            return make_error(ErrorKind::failure,
                              "unscripted request: " + request.method + " " + request.url);
        }
        Result<http::Response> next = std::move(m_script.front());
        m_script.pop_front();
        return next;
    }

    std::vector<http::Request> requests() const {
        std::lock_guard<std::mutex> guard(m_mutex);
        return m_requests;
    }

    std::size_t request_count() const {
        std::lock_guard<std::mutex> guard(m_mutex);
        return m_requests.size();
    }

    http::Request request(std::size_t index) const {
        std::lock_guard<std::mutex> guard(m_mutex);
        return m_requests.at(index);
    }

    // Scripted answers not consumed yet.
    std::size_t pending() const {
        std::lock_guard<std::mutex> guard(m_mutex);
        return m_script.size();
    }

  private:
    mutable std::mutex m_mutex;
    std::deque<Result<http::Response>> m_script;
    std::vector<http::Request> m_requests;
    Hook m_hook;
};

// The value of header `name` (case-sensitive) in `request`, or "" when absent.
inline std::string header_of(const http::Request& request, std::string_view name) {
    for (const http::Header& header : request.headers) {
        if (header.name == name) {
            return header.value;
        }
    }
    return {};
}

} // namespace pjats::test
