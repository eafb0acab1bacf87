#pragma once

// Scripted faults for the sandbox: POST /_sandbox/faults appends rules; every API request
// fires at most one rule (the first that matches its method, path and connection and
// passes its probability draw).

#include <functional>
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
    drop_after_silent, // process fully (the record is created), then close the connection
                       // without a single response byte
    echo_auth,    // without processing: `status` (default 401) with an error body quoting
                  // the request's Authorization header and its decoded Basic user (a
                  // hostile server echoing credentials)
};

// `times` value for a rule that never runs out.
constexpr int k_unlimited_times = -1;

struct FaultRule {
    std::string method; // empty: any method
    std::string path;   // request path without the query string; a segment "*" matches
                        // any one segment ("/v1/opportunities/*/notes")
    FaultAction action = FaultAction::status;
    int status = 503;
    std::string retry_after; // sent as Retry-After with `status` when not empty
    int ms = 0;              // for `delay`
    int times = 1;           // how many requests this rule fires for; k_unlimited_times
    bool reused_only = false; // only for a request on a keep-alive connection that already
                              // served an earlier request
    double probability = 1.0; // chance that a matching request fires the rule
};

// Parses the JSON array POSTed to /_sandbox/faults. On failure returns nullopt and sets
// `error`.
std::optional<std::vector<FaultRule>> parse_fault_rules(const std::string& json,
                                                        std::string& error);

class FaultQueue {
  public:
    void append(const std::vector<FaultRule>& rules);

    // The first rule that matches method and path (and `reused`, when it is reused_only)
    // and whose probability draw succeeds, consuming one of its `times`. `uniform01` gives
    // values in [0, 1); it is called only for rules with a probability below 1.
    std::optional<FaultRule> take(const std::string& method,
                                  const std::string& path,
                                  bool reused,
                                  const std::function<double()>& uniform01);

    void clear();

    std::size_t pending() const;

  private:
    mutable std::mutex m_mutex;
    std::vector<FaultRule> m_rules;
};

} // namespace pjats::fakes
