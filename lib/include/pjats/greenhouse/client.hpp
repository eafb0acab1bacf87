#pragma once

#include <pjats/core/result.hpp>
#include <pjats/http/http.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pjats::greenhouse {

// GET /v1/partner/current_user
struct CurrentUser {
    std::int64_t id = 0;
    std::string full_name;
    std::string first_name;
    std::string last_name;
    std::string email;
};

// GET /v1/partner/jobs
struct Job {
    std::int64_t id = 0;
    std::string name;
    std::string status;
    bool is_public = false;
};

// GET /v1/partner/prospect_pools: a pool and its stages, in Greenhouse's order.
struct PoolStage {
    std::int64_t id = 0;
    std::string name;
};
struct ProspectPool {
    std::int64_t id = 0;
    std::string name;
    std::vector<PoolStage> stages;
};

// POST /v1/partner/candidates response.
struct CreatedCandidate {
    std::int64_t id = 0;
    std::int64_t application_id = 0;
    std::string external_id;
    std::string profile_url;
};

// One application in GET /v1/partner/candidates (greenhouse-ingestion-api.md §2.1).
struct ApplicationStatus {
    std::int64_t id = 0;
    std::string job;         // the job's name ("" for a prospect)
    std::string status;      // "active", "rejected" or "hired", lower-cased
    std::string stage;       // the stage's name
    std::string profile_url; // needs a Greenhouse login
};

// One candidate in GET /v1/partner/candidates.
struct CandidateStatus {
    std::int64_t id = 0;
    std::vector<ApplicationStatus> applications;
};

// Ids per GET /v1/partner/candidates: Ingestion documents no maximum; Harvest's
// candidate_ids allows 50, so pj-ats stays there (and its URLs stay well under 1 KB).
inline constexpr std::size_t k_status_batch = 50;

// "https://api.greenhouse.io/v1/partner/" and "https://api.greenhouse.io" both become
// "https://api.greenhouse.io": the client appends /v1/partner/... itself.
std::string normalize_base_url(std::string base_url);

// The Candidate Ingestion ("partner") API with Basic auth (key as user, empty password)
// and the On-Behalf-Of email on every request. Retries belong to the Transport.
class Client {
  public:
    Client(http::Transport& transport,
           std::string base_url,
           std::string api_key,
           std::string on_behalf_of);

    Result<CurrentUser> current_user();
    // current_user with `email` as On-Behalf-Of: whether Greenhouse knows `email` as an
    // active user (basic users may ask; reference §1.6). 401 → an auth error.
    Result<CurrentUser> current_user_as(const std::string& email);
    Result<std::vector<Job>> jobs();
    Result<std::vector<ProspectPool>> prospect_pools();

    // GET /v1/partner/candidates?candidate_ids=… for at most k_status_batch ids. Ids
    // Greenhouse no longer shows this user (merged, deleted, source changed, no access) are
    // simply absent; a single object answer is accepted like a one-element array.
    Result<std::vector<CandidateStatus>> candidates(const std::vector<std::int64_t>& ids);

    // Posts one candidate object (`json_body`, from greenhouse::candidate_body), on behalf
    // of `on_behalf_of` ("" : the profile's user).
    Result<CreatedCandidate> create_candidate(const std::string& json_body,
                                              const std::string& on_behalf_of = {});

    // The request create_candidate sends, for --dry-run (Authorization is redacted by callers).
    http::Request create_request(const std::string& json_body,
                                 const std::string& on_behalf_of = {}) const;

    // The profile's On-Behalf-Of e-mail.
    const std::string& on_behalf_of() const { return m_on_behalf_of; }

  private:
    http::Request make_request(std::string method, std::string path,
                               const std::string& on_behalf_of = {}) const;
    Result<http::Response> send(const http::Request& request, const char* what);

    http::Transport& m_transport;
    std::string m_base_url;
    std::string m_authorization;
    std::string m_on_behalf_of;
};

// Turns a non-2xx Greenhouse response into an Error: 401/403 → auth, 400/422 → validation,
// 404 → not_found, 429/5xx → temporary. The message quotes the API's error messages with
// their field names ({"errors":[{"message","field"}]} or {"message"}).
Error error_from_response(const http::Response& response, const char* what);

} // namespace pjats::greenhouse
