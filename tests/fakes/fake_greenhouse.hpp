#pragma once

// A strict fake of the Greenhouse Candidate Ingestion ("Partner") API, /v1/partner/...
// (reference: greenhouse-ingestion-api.md). Every request needs
// `Authorization: Basic base64(key + ":")` and `On-Behalf-Of: <email of an active user>`;
// errors are {"errors":[{"message","field"?}]}.
//
//   GET  /v1/partner/current_user     the On-Behalf-Of user
//   GET  /v1/partner/jobs             open jobs visible to the user (an array)
//   GET  /v1/partner/prospect_pools   prospect pools with stages
//   GET  /v1/partner/candidates?candidate_ids=1,2   created candidates (unknown ids dropped)
//   POST /v1/partner/candidates       one object in → one object out; array in → array out

#include "route_table.hpp"
#include "token_buckets.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pjats::fakes {

struct GreenhouseUser;

class FakeGreenhouse {
  public:
    // `rate` requests per second per API key with bursts of `burst`; rate 0: unlimited.
    FakeGreenhouse(double rate, double burst);

    void add_routes(RouteTable& table);

    // Forgets every created candidate and rate-limit bucket.
    void reset();

    // Control: {"id": candidate id, "status"?: "active|rejected|hired", "stage"?: name}
    // changes its application; {"id", "merge": true} merges it into a new profile with a
    // new id (the old id vanishes from GET /candidates). "" or an error message.
    std::string change_candidate(const std::string& body);

    // {"candidates":[{"id","application_id","external_id","on_behalf_of","body"}]}
    std::string state_json() const;

  private:
    struct Candidate {
        std::int64_t id = 0;
        std::int64_t application_id = 0;
        std::string external_id;
        std::string name;
        std::optional<std::int64_t> job_id;
        std::string on_behalf_of;
        std::string body_json; // the candidate object as received
        std::string status = "active";
        std::string stage;     // "" until changed: "Application Review" on a job
    };

    // Checks credentials, On-Behalf-Of and the rate limit; on failure answers and returns
    // nullptr.
    const GreenhouseUser* authorize(const httplib::Request& req, httplib::Response& res);

    void current_user(const httplib::Request& req, httplib::Response& res);
    void jobs(const httplib::Request& req, httplib::Response& res);
    void prospect_pools(const httplib::Request& req, httplib::Response& res);
    void get_candidates(const httplib::Request& req, httplib::Response& res);
    void post_candidates(const httplib::Request& req, httplib::Response& res);

    std::string candidate_json(const Candidate& candidate) const;

    TokenBuckets m_buckets;
    mutable std::mutex m_mutex;
    std::vector<Candidate> m_candidates;
    std::int64_t m_next_id = 100000001;
};

} // namespace pjats::fakes
