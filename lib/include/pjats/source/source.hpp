#pragma once

#include <pjats/core/result.hpp>
#include <pjats/model/candidate.hpp>

#include <memory>
#include <string>
#include <vector>

namespace pjats::http {
class Transport;
} // namespace pjats::http

namespace pjats::source {

// Where candidate and application records come from (README.md "Where candidate records come from").
class Source {
  public:
    virtual ~Source() = default;

    // The record of candidate `id`. A missing record has kind `not_found`; an id holding
    // path separators or other characters outside [A-Za-z0-9._-] is a `usage` error.
    virtual Result<model::Candidate> candidate(const std::string& id) = 0;

    // Applications to Purpose Jobs job `job_id` whose cursor sorts after `since` (all when
    // empty), in cursor order, at most `limit` (0: no limit). Malformed application records
    // are returned in `errors` instead of stopping the listing.
    struct Page {
        std::vector<model::Application> applications;
        std::vector<Error> errors;
    };
    virtual Result<Page> applications(const std::string& job_id, const std::string& since,
                                      std::size_t limit) = 0;

    // Short description for status output ("dir /data/export").
    virtual std::string describe() const = 0;

    // Whether publish_job is supported (url sources: POST {url}/jobs).
    virtual bool accepts_jobs() const {
        return false;
    }

    // Publishes one schema.org JobPosting JSON-LD document for Lever posting `posting_id`.
    virtual Status publish_job(const std::string& posting_id, const std::string& jsonld) {
        (void)jsonld;
        return make_error(ErrorKind::usage,
                          "this source does not accept jobs (posting " + posting_id + ")");
    }

    // Withdraws the job published for Lever posting `posting_id` (url sources: DELETE
    // {url}/jobs/{posting_id}). A job the source does not hold is `not_found`.
    virtual Status retract_job(const std::string& posting_id) {
        return make_error(ErrorKind::usage,
                          "this source does not accept jobs (posting " + posting_id + ")");
    }
};

// A folder with candidates/<id>.json and applications/<job-id>/*.json.
std::unique_ptr<Source> make_dir_source(const std::string& dir);

// An HTTP source (docs/url-source.md): GET {url}/candidates/{id} and
// GET {url}/jobs/{id}/applications?since=CURSOR with `Authorization: Bearer token` (none
// when empty). 401/403 are `auth`, 404 `not_found`, 5xx/429 `temporary`; unreadable
// application entries go to Page::errors. `transport` must outlive the source.
std::unique_ptr<Source> make_url_source(http::Transport& transport, std::string url,
                                        std::string token);

// What a source knows of Purpose Jobs job `job_id`, for checking an id before it is linked.
enum class JobPresence {
    has_applications, // at least one application (readable or not)
    no_applications,  // none yet: a new job, or an id the source never heard of (dir)
    unknown_job,      // the source says there is no such job (url: 404)
};

// Looks at the first application of `job_id`. Errors other than "no such job" pass through.
Result<JobPresence> job_presence(Source& source, const std::string& job_id);

// Reads exactly one record from a file path, or standard input when `path` is "-".
Result<model::Candidate> read_record_file(const std::string& path);

// Checks that `id` is safe to use as a file name or URL segment.
Status check_record_id(const std::string& id);

} // namespace pjats::source
