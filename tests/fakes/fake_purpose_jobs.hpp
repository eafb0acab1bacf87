#pragma once

// A fake Purpose Jobs `url` source (docs/url-source.md) under /pj: candidates,
// applications per job with cursors, and job postings published to it. Bearer token
// "pj_sandbox_token". Tests add applications through POST /_sandbox/pj/applications.

#include "route_table.hpp"

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace pjats::fakes {

inline constexpr const char* k_pj_token = "pj_sandbox_token";

class FakePurposeJobs {
  public:
    // GET /pj/candidates/{id}, GET /pj/jobs/{id}/applications?since=, POST /pj/jobs (a
    // JobPosting with identifier.value, listed under that id), DELETE /pj/jobs/{id} (204;
    // 404 for an id not listed).
    void add_routes(RouteTable& table);

    // Control: {"job_id": "...", "applications": [{"id", "cursor", "candidate"}, ...]}.
    // Entries are stored as given (malformed ones too, to test the client); a candidate
    // with meta.purposeJobs.id also becomes readable under /pj/candidates/{id}.
    // Returns "" or an error message.
    std::string add_applications(const std::string& body);

    // {"applications": {job: [...]}, "candidates": [ids], "jobs": [posted documents],
    //  "listed": [ids listed now], "retracted": [ids deleted, in order]}.
    std::string state_json() const;
    void reset();

  private:
    struct StoredApplication {
        std::string cursor;
        std::string json; // the entry as given
    };

    mutable std::mutex m_mutex;
    std::map<std::string, std::vector<StoredApplication>> m_applications;
    std::map<std::string, std::string> m_candidates;
    std::vector<std::string> m_jobs;             // every document POSTed, in order
    std::map<std::string, std::string> m_listed; // identifier.value -> latest document
    std::vector<std::string> m_retracted;        // ids withdrawn with DELETE, in order
};

} // namespace pjats::fakes
