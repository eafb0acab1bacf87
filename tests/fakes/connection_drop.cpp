// Abrupt connection endings for fault injection.
#include "connection_drop.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace pjats::fakes {

namespace {

int port_of(const sockaddr_storage& addr) {
    if (addr.ss_family == AF_INET) {
        return ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
    }
    if (addr.ss_family == AF_INET6) {
        return ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
    }
    return -1;
}

// True when `fd` is the TCP socket between local_port and peer_port.
bool is_connection(int fd, int local_port, int peer_port) {
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t local_len = sizeof(local);
    socklen_t peer_len = sizeof(peer);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0
        || getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) {
        return false;
    }
    return port_of(local) == local_port && port_of(peer) == peer_port;
}

} // namespace

bool drop_connection(const httplib::Request& req) {
    if (req.local_port <= 0 || req.remote_port <= 0) {
        return false;
    }
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
        char* end = nullptr;
        const std::string name = entry.path().filename().string();
        const long fd = std::strtol(name.c_str(), &end, 10);
        if (end == nullptr || *end != '\0' || fd < 0) {
            continue;
        }
        if (is_connection(static_cast<int>(fd), req.local_port, req.remote_port)) {
            ::shutdown(static_cast<int>(fd), SHUT_RDWR);
            return true;
        }
    }
    return false;
}

void close_after_response(const httplib::Request& req, httplib::Response& res) {
    auto body = std::make_shared<std::string>(std::move(res.body));
    res.body.clear();
    const std::string content_type = res.get_header_value("Content-Type");
    res.headers.erase("Content-Type");
    res.headers.erase("Content-Length");
    res.set_header("Connection", "close");
    res.set_content_provider(
        body->size(),
        content_type,
        [body, &req](std::size_t offset, std::size_t, httplib::DataSink& sink) {
            sink.write(body->data() + offset, body->size() - offset);
            drop_connection(req); // queued bytes are still delivered, then EOF
            return true;
        });
}

void truncate_response(httplib::Response& res) {
    auto body = std::make_shared<std::string>(std::move(res.body));
    res.body.clear();
    const std::string content_type = res.get_header_value("Content-Type");
    res.headers.erase("Content-Type");
    res.headers.erase("Content-Length");
    const std::size_t length = body->empty() ? 16 : body->size();
    res.set_content_provider(
        length,
        content_type.empty() ? "application/json" : content_type,
        [body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
            if (offset == 0 && body->size() > 1) {
                sink.write(body->data(), body->size() / 2);
                return true;
            }
            return false; // the rest never comes: httplib closes the connection
        });
}

} // namespace pjats::fakes
