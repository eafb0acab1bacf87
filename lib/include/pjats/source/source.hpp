#pragma once

#include <pjats/core/result.hpp>
#include <pjats/model/candidate.hpp>

#include <memory>
#include <string>
#include <vector>

namespace pjats::source {

// Where candidate and application records come from (SPEC "Sources").
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
};

// A folder with candidates/<id>.json and applications/<job-id>/*.json.
std::unique_ptr<Source> make_dir_source(const std::string& dir);

// Reads exactly one record from a file path, or standard input when `path` is "-".
Result<model::Candidate> read_record_file(const std::string& path);

// Checks that `id` is safe to use as a file name or URL segment.
Status check_record_id(const std::string& id);

} // namespace pjats::source
