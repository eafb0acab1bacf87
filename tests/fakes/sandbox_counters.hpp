#pragma once

// What the sandbox counts about API traffic (the control API is not counted), and a capped
// log of recent API requests. Thread-safe.

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace pjats::fakes {

// How one API request ended.
struct RequestRecord {
    std::string method;
    std::string path;  // without the query string (it may hold emails)
    std::string route; // route name, or "unmatched"
    std::string auth;  // "basic", "bearer", "none" or "other" (never the credential)
    int status = 0;    // 0: the connection was dropped
    std::string fault; // the fault that fired, if any
};

class SandboxCounters {
  public:
    void record(const RequestRecord& record);

    void reset();

    // {"requests":{route:n}, "statuses":{"200":n}, "total", "rate_limited", "unauthorized",
    //  "faults_fired", "dropped"}
    std::string counters_json() const;

    // [{"method","path","route","auth","status","fault"}], oldest first, at most
    // k_log_size entries.
    std::string log_json() const;

    static constexpr std::size_t k_log_size = 2000;

  private:
    mutable std::mutex m_mutex;
    std::map<std::string, long> m_requests;
    std::map<int, long> m_statuses;
    long m_total = 0;
    long m_rate_limited = 0;
    long m_unauthorized = 0;
    long m_faults = 0;
    long m_dropped = 0;
    std::deque<RequestRecord> m_log;
};

// The scheme of an Authorization header, for the log.
std::string auth_kind(const std::string& authorization);

} // namespace pjats::fakes
