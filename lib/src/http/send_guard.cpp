#include <pjats/http/http.hpp>
#include <pjats/http/send_guard.hpp>

#include <utility>

namespace pjats::http {

namespace {

thread_local SendGuard t_guard; // NOLINT: per-thread by design

} // namespace

SendGuardScope::SendGuardScope(SendGuard guard)
    : m_previous(std::exchange(t_guard, std::move(guard))) {}

SendGuardScope::~SendGuardScope() {
    t_guard = std::move(m_previous);
}

Status check_send_guard(const Request& request) {
    if (!t_guard || request.method == "GET" || request.method == "HEAD") {
        return {};
    }
    return t_guard();
}

} // namespace pjats::http
