#pragma once

#include "support/temp_env.hpp"

#include <pjats/http/http.hpp>

// Loopback servers for the CurlTransport tests: a cpp-httplib server running on its own
// thread, and a raw socket server that misbehaves on purpose (drops or stalls a request).

#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace pjats::http_test {

// Closes a file descriptor on destruction.
class UniqueFd {
  public:
    explicit UniqueFd(int fd = -1)
        : m_fd(fd) {}

    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;

    ~UniqueFd() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }

    int get() const {
        return m_fd;
    }

  private:
    int m_fd;
};

// A TCP socket bound to 127.0.0.1 on a free port; listening only when asked.
inline int bind_loopback(const UniqueFd& fd) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        throw std::runtime_error("bind failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len);
    return ntohs(addr.sin_port);
}

// Runs `server` (httplib::Server or SSLServer) on 127.0.0.1 until destroyed.
template <typename ServerT>
class Running {
  public:
    template <typename... Args>
    explicit Running(Args&&... args)
        : m_server(std::forward<Args>(args)...) {}

    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;

    ~Running() {
        if (m_thread.joinable()) {
            // stop() is a no-op until the accept loop runs; wait for it to start.
            while (!m_server.is_running()) {
                std::this_thread::yield();
            }
            m_server.stop();
            m_thread.join();
        }
    }

    ServerT& server() {
        return m_server;
    }

    // Binds (the socket accepts connections from here on) and serves on a thread.
    void start() {
        m_port = m_server.bind_to_any_port("127.0.0.1");
        if (m_port <= 0) {
            throw std::runtime_error("cannot bind test server");
        }
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
    }

    int port() const {
        return m_port;
    }

    std::string url(const std::string& path, const std::string& scheme = "http") const {
        return scheme + "://127.0.0.1:" + std::to_string(m_port) + path;
    }

  private:
    ServerT m_server;
    int m_port = 0;
    std::thread m_thread;
};

// Accepts one connection, reads one request (headers and Content-Length body), then
// either closes the socket without answering or keeps it open until the client leaves.
class RawServer {
  public:
    enum class Mode { close_after_request, never_answer };

    explicit RawServer(Mode mode)
        : m_listen(::socket(AF_INET, SOCK_STREAM, 0)),
          m_mode(mode) {
        m_port = bind_loopback(m_listen);
        if (::listen(m_listen.get(), 4) != 0) {
            throw std::runtime_error("listen failed");
        }
        m_thread = std::thread([this] { run(); });
    }

    RawServer(const RawServer&) = delete;
    RawServer& operator=(const RawServer&) = delete;

    ~RawServer() {
        ::shutdown(m_listen.get(), SHUT_RDWR); // wakes a blocked accept()
        const int conn = m_conn.load();
        if (conn >= 0) {
            ::shutdown(conn, SHUT_RDWR);
        }
        m_thread.join();
    }

    int port() const {
        return m_port;
    }

    // The request bytes received (valid once the client call returned).
    std::string received() const {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_received;
    }

  private:
    void run() {
        UniqueFd conn(::accept(m_listen.get(), nullptr, nullptr));
        if (conn.get() < 0) {
            return;
        }
        m_conn = conn.get();
        std::string data;
        char buf[4096];
        std::size_t needed = std::string::npos;
        while (needed == std::string::npos || data.size() < needed) {
            const ssize_t n = ::read(conn.get(), buf, sizeof buf);
            if (n <= 0) {
                break;
            }
            data.append(buf, static_cast<std::size_t>(n));
            const std::size_t end = data.find("\r\n\r\n");
            if (end != std::string::npos && needed == std::string::npos) {
                needed = end + 4 + content_length(data.substr(0, end));
            }
        }
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_received = data;
        }
        if (m_mode == Mode::never_answer) {
            while (::read(conn.get(), buf, sizeof buf) > 0) {
            }
        }
        m_conn = -1;
    }

    static std::size_t content_length(const std::string& head) {
        std::string lower = head;
        for (char& c : lower) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        const std::size_t pos = lower.find("content-length:");
        if (pos == std::string::npos) {
            return 0;
        }
        return static_cast<std::size_t>(std::strtoul(head.c_str() + pos + 15, nullptr, 10));
    }

    UniqueFd m_listen;
    Mode m_mode;
    int m_port = 0;
    std::atomic<int> m_conn{-1};
    mutable std::mutex m_mutex;
    std::string m_received;
    std::thread m_thread;
};

// Transport options with short timeouts for tests against local servers.
inline pjats::http::TransportOptions test_options() {
    using namespace std::chrono_literals;
    pjats::http::TransportOptions options;
    options.connect_timeout = 5000ms;
    options.total_timeout = 20'000ms;
    return options;
}

inline pjats::http::Request make_request(std::string method, std::string url, std::string body = {}) {
    pjats::http::Request request;
    request.method = std::move(method);
    request.url = std::move(url);
    request.body = std::move(body);
    return request;
}

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

using ScratchDir = pjats::test::TempDir;


} // namespace pjats::http_test
