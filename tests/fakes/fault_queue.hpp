#pragma once

// Scripted faults for the sandbox: POST /_sandbox/faults appends rules; every API request
// fires at most one rule (the first that matches its method and path).

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pjats::fakes {

enum class FaultAction {
    status,       // answer `status` with the API's error body, without processing
    drop_before,  // close the connection without processing and without any response
    drop_after,   // process fully (the record is created), then cut the response short
    delay,        // wait `ms` more, then process normally
    huge_body,    // without processing: 200 declaring a 1 GiB body, streamed until the
                  // client disconnects
    endless_body, // without processing: 200 with a chunked body that never ends
};

struct FaultRule {
    std::string method; // empty: any method
    std::string path;   // exact request path, without the query string
    FaultAction action = FaultAction::status;
    int status = 503;
    std::string retry_after; // sent as Retry-After with `status` when not empty
    int ms = 0;              // for `delay`
    int times = 1;           // how many requests this rule fires for
};

// Parses the JSON array POSTed to /_sandbox/faults. On failure returns nullopt and sets
// `error`.
std::optional<std::vector<FaultRule>> parse_fault_rules(const std::string& json,
                                                        std::string& error);

class FaultQueue {
  public:
    void append(const std::vector<FaultRule>& rules);

    // The first rule matching method and path, consuming one of its `times`.
    std::optional<FaultRule> take(const std::string& method, const std::string& path);

    void clear();

    std::size_t pending() const;

  private:
    mutable std::mutex m_mutex;
    std::vector<FaultRule> m_rules;
};

} // namespace pjats::fakes
