// The OAuth redirect receiver: a tiny HTTP/1.1 server on 127.0.0.1 that waits for one
// GET /callback. Browsers open speculative connections that may never send a request and
// ask for /favicon.ico, so several connections are served at once with poll(2) and every
// request that is not the callback gets a 404 and is otherwise ignored.

#include <pjats/lever/oauth.hpp>

#include "core/unique_fd.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <utility>

namespace pjats::lever {

namespace {

constexpr std::size_t k_max_request_head = 16 * 1024;
constexpr std::size_t k_max_connections = 16;

using Fd = core::UniqueFd;

struct Connection {
    Fd fd;
    std::string head;
};

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// Decodes a query component: %XX and '+' as space. Invalid escapes are kept literally.
std::string query_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0
                   && hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
    std::map<std::string, std::string> params;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const std::size_t eq = pair.find('=');
        std::string name = query_decode(pair.substr(0, eq));
        std::string value =
            eq == std::string_view::npos ? std::string() : query_decode(pair.substr(eq + 1));
        params.emplace(std::move(name), std::move(value)); // first occurrence wins
    }
    return params;
}

// Keeps text from the browser printable and short before it reaches a terminal.
std::string sanitize(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (out.size() >= 200) {
            out += "...";
            break;
        }
        const auto u = static_cast<unsigned char>(c);
        out += (u >= 0x20 && u != 0x7f) ? c : '?';
    }
    return out;
}

void send_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) {
            continue;
        }
        if (sent <= 0) {
            return; // the browser went away; nothing else to do
        }
        data.remove_prefix(static_cast<std::size_t>(sent));
    }
}

void respond(int fd, int status, std::string_view reason, std::string_view message) {
    const std::string body = "<!doctype html><html><head><meta charset=\"utf-8\"><title>pj-ats"
                             "</title></head><body><p>"
                             + std::string(message) + "</p></body></html>\n";
    std::string response = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason)
                           + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                           + std::to_string(body.size())
                           + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n" + body;
    // Switch back to blocking for the short reply so it is not cut off.
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) {
        ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    }
    send_all(fd, response);
}

// What a complete request head means for the wait.
struct Verdict {
    bool finished = false; // the callback arrived: stop waiting
    Result<std::string> result = std::string();
};

Verdict handle_request(int fd, const std::string& head, const std::string& expected_state) {
    Verdict verdict;
    const std::size_t line_end = head.find("\r\n");
    const std::string line = head.substr(0, line_end);
    const std::size_t first_space = line.find(' ');
    const std::size_t second_space =
        first_space == std::string::npos ? std::string::npos : line.find(' ', first_space + 1);
    if (first_space == std::string::npos || second_space == std::string::npos) {
        respond(fd, 400, "Bad Request", "Bad request.");
        return verdict;
    }
    const std::string method = line.substr(0, first_space);
    const std::string target = line.substr(first_space + 1, second_space - first_space - 1);
    const std::size_t question = target.find('?');
    const std::string path = target.substr(0, question);
    if (method != "GET" || path != "/callback") {
        respond(fd, 404, "Not Found", "Not found.");
        return verdict;
    }
    const auto params =
        parse_query(question == std::string::npos ? std::string_view()
                                                  : std::string_view(target).substr(question + 1));
    const auto param = [&params](const char* name) {
        const auto it = params.find(name);
        return it == params.end() ? std::string() : it->second;
    };
    verdict.finished = true;
    if (param("state") != expected_state) {
        respond(fd,
                400,
                "Bad Request",
                "Authorization failed: the state parameter does not match. Close this window and "
                "run the command again.");
        verdict.result = make_error(ErrorKind::auth,
                                    "Lever authorization failed: state mismatch (the redirect "
                                    "did not come from the authorization this command started)");
        return verdict;
    }
    const std::string error = param("error");
    if (!error.empty()) {
        const std::string description = param("error_description");
        respond(fd, 200, "OK", "Authorization was not granted. You can close this window.");
        std::string message = "Lever authorization was not granted: " + sanitize(error);
        if (!description.empty()) {
            message += ": " + sanitize(description);
        }
        verdict.result = make_error(ErrorKind::auth, std::move(message));
        return verdict;
    }
    const std::string code = param("code");
    if (code.empty()) {
        respond(fd, 400, "Bad Request", "The redirect carried no authorization code.");
        verdict.result =
            make_error(ErrorKind::auth, "Lever authorization failed: the redirect had no code");
        return verdict;
    }
    respond(fd, 200, "OK", "pj-ats is now authorized with Lever. You can close this window.");
    verdict.result = code;
    return verdict;
}

Error socket_error(const char* what) {
    return make_error(ErrorKind::failure,
                      std::string("OAuth loopback receiver: ") + what + ": "
                          + std::strerror(errno));
}

} // namespace

Result<LoopbackReceiver> LoopbackReceiver::open(int port) {
    Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (fd.get() < 0) {
        return socket_error("socket");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        return socket_error(("bind 127.0.0.1:" + std::to_string(port)).c_str());
    }
    if (::listen(fd.get(), 16) != 0) {
        return socket_error("listen");
    }
    socklen_t length = sizeof(address);
    if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        return socket_error("getsockname");
    }
    return LoopbackReceiver(fd.release(), ntohs(address.sin_port));
}

LoopbackReceiver::LoopbackReceiver(LoopbackReceiver&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)),
      m_port(other.m_port) {}

LoopbackReceiver& LoopbackReceiver::operator=(LoopbackReceiver&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = std::exchange(other.m_fd, -1);
        m_port = other.m_port;
    }
    return *this;
}

LoopbackReceiver::~LoopbackReceiver() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

std::string LoopbackReceiver::redirect_uri() const {
    return "http://127.0.0.1:" + std::to_string(m_port) + "/callback";
}

Result<std::string> LoopbackReceiver::wait_for_code(const std::string& expected_state,
                                                    std::chrono::milliseconds timeout) {
    using SteadyClock = std::chrono::steady_clock;
    const SteadyClock::time_point deadline = SteadyClock::now() + timeout;
    std::vector<Connection> connections;
    while (true) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
        if (left.count() <= 0) {
            return make_error(ErrorKind::auth,
                              "timed out after " + std::to_string(timeout.count() / 1000)
                                  + " s waiting for the browser to return to " + redirect_uri());
        }
        std::vector<pollfd> fds;
        fds.push_back({m_fd, POLLIN, 0});
        for (const Connection& connection : connections) {
            fds.push_back({connection.fd.get(), POLLIN, 0});
        }
        const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            return socket_error("poll");
        }
        // Read from existing connections first (indices shift when one is dropped).
        for (std::size_t i = connections.size(); i-- > 0;) {
            if (fds[i + 1].revents == 0) {
                continue;
            }
            Connection& connection = connections[i];
            char buffer[4096];
            const ssize_t got = ::recv(connection.fd.get(), buffer, sizeof(buffer), 0);
            if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
                continue;
            }
            if (got <= 0) {
                connections.erase(connections.begin() + static_cast<std::ptrdiff_t>(i));
                continue;
            }
            connection.head.append(buffer, static_cast<std::size_t>(got));
            if (connection.head.find("\r\n\r\n") == std::string::npos) {
                if (connection.head.size() > k_max_request_head) {
                    respond(connection.fd.get(),
                            431,
                            "Request Header Fields Too Large",
                            "Request too large.");
                    connections.erase(connections.begin() + static_cast<std::ptrdiff_t>(i));
                }
                continue;
            }
            Verdict verdict = handle_request(connection.fd.get(), connection.head, expected_state);
            connections.erase(connections.begin() + static_cast<std::ptrdiff_t>(i));
            if (verdict.finished) {
                return std::move(verdict.result);
            }
        }
        if ((fds[0].revents & POLLIN) != 0) {
            Fd accepted(::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
            if (accepted.get() >= 0) {
                if (connections.size() >= k_max_connections) {
                    connections.erase(connections.begin()); // drop the oldest idle one
                }
                connections.push_back(Connection{std::move(accepted), {}});
            }
        }
    }
}

} // namespace pjats::lever
