// What the sandbox counts about API traffic.
#include "sandbox_counters.hpp"

#include "fake_http.hpp"
#include "fake_json.hpp"

namespace pjats::fakes {

void SandboxCounters::record(const RequestRecord& record) {
    std::lock_guard lock(m_mutex);
    ++m_requests[record.route];
    ++m_total;
    if (record.status == 0) {
        ++m_dropped;
    } else {
        ++m_statuses[record.status];
    }
    m_rate_limited += record.status == 429 ? 1 : 0;
    m_unauthorized += record.status == 401 ? 1 : 0;
    m_faults += record.fault.empty() ? 0 : 1;
    m_log.push_back(record);
    if (m_log.size() > k_log_size) {
        m_log.pop_front();
    }
}

void SandboxCounters::reset() {
    std::lock_guard lock(m_mutex);
    m_requests.clear();
    m_statuses.clear();
    m_total = m_rate_limited = m_unauthorized = m_faults = m_dropped = 0;
    m_log.clear();
}

std::string SandboxCounters::counters_json() const {
    std::lock_guard lock(m_mutex);
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        w.Key("requests");
        w.StartObject();
        for (const auto& [route, n] : m_requests) {
            write_int(w, route, n);
        }
        w.EndObject();
        w.Key("statuses");
        w.StartObject();
        for (const auto& [status, n] : m_statuses) {
            write_int(w, std::to_string(status), n);
        }
        w.EndObject();
        write_int(w, "total", m_total);
        write_int(w, "rate_limited", m_rate_limited);
        write_int(w, "unauthorized", m_unauthorized);
        write_int(w, "faults_fired", m_faults);
        write_int(w, "dropped", m_dropped);
        w.EndObject();
    });
}

std::string SandboxCounters::log_json() const {
    std::lock_guard lock(m_mutex);
    return build_json([&](JsonWriter& w) {
        w.StartArray();
        for (const RequestRecord& r : m_log) {
            w.StartObject();
            write_string(w, "method", r.method);
            write_string(w, "path", r.path);
            write_string(w, "route", r.route);
            write_string(w, "auth", r.auth);
            write_int(w, "status", r.status);
            write_string(w, "fault", r.fault);
            w.EndObject();
        }
        w.EndArray();
    });
}

std::string auth_kind(const std::string& authorization) {
    if (authorization.empty()) {
        return "none";
    }
    const std::string scheme = lower(authorization.substr(0, authorization.find(' ')));
    return scheme == "basic" || scheme == "bearer" ? scheme : "other";
}

} // namespace pjats::fakes
