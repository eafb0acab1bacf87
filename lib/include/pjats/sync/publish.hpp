#pragma once

#include <pjats/core/result.hpp>
#include <pjats/ledger/ledger.hpp>
#include <pjats/lever/model.hpp>
#include <pjats/source/source.hpp>

#include <string>
#include <vector>

namespace pjats::sync {

// What happened to one Lever posting when publishing to the source. `retracted`: a
// posting published earlier is no longer published in Lever and was withdrawn from the
// source; `retract_planned`: a dry run would withdraw it; `invalid`: it cannot be made a
// valid Google JobPosting (`problems` says why) and was not published.
struct PublishReport {
    enum class Status { published, unchanged, planned, failed, retracted, retract_planned, invalid };
    std::string posting_id;
    std::string title;                  // the posting's title ("" for retractions)
    Status status = Status::failed;
    Error error;                        // for failed
    std::vector<std::string> problems;  // for invalid
    std::vector<std::string> omitted;   // left out of a published document (baseSalary …)
};

// Whose postings are published where, and under which organization name.
struct PublishScope {
    std::string account;      // the Lever account (Target::account(): base URL + user)
    std::string source;       // the source's description (Source::describe())
    std::string organization; // hiringOrganization name; "" makes every posting invalid
};

const char* to_string(PublishReport::Status status);

// Publishes each posting (schema.org JobPosting JSON-LD, lever::job_posting) to a source
// that accepts jobs; a posting that cannot be made valid is reported `invalid` and not
// published. A document identical to the one published last time (ledger meta
// "published_posting|<account>|<source>|<id>" holds its hash) is not sent again.
// `postings` must be the account's complete list of published postings: every posting
// this account published to this source earlier (ledger meta
// "published_postings|<account>|<source>" lists their ids) that is not in it any more —
// closed, unlisted or deleted — is retracted from the source, once (a source that no
// longer holds it counts as retracted; a failed retraction is tried again next run).
// Another account's postings are never retracted. Retractions are reported after the
// postings. With `dry_run` (ledger may be null) nothing is sent or written: changed
// postings are reported as planned, retractions as retract_planned.
std::vector<PublishReport> publish_postings(source::Source& source,
                                            const std::vector<lever::Posting>& postings,
                                            ledger::Ledger* ledger,
                                            bool dry_run,
                                            const PublishScope& scope);

} // namespace pjats::sync
