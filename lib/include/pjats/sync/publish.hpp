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
// source; `retract_planned`: a dry run would withdraw it.
struct PublishReport {
    enum class Status { published, unchanged, planned, failed, retracted, retract_planned };
    std::string posting_id;
    Status status = Status::failed;
    Error error; // for failed
};

const char* to_string(PublishReport::Status status);

// The hiringOrganization name for a posting: the Lever site name in its URL
// (jobs.lever.co/<site>/...), else "Unknown organization".
std::string hiring_organization(const lever::Posting& posting);

// Publishes each posting (schema.org JobPosting JSON-LD, lever::posting_jsonld) to a source
// that accepts jobs. A document identical to the one published last time (ledger meta
// "published_posting:<id>" holds its hash) is not sent again. `postings` must be Lever's
// complete list of published postings: every posting published earlier (ledger meta
// "published_postings" lists their ids) that is not in it any more — closed, unlisted or
// deleted — is retracted from the source, once (a source that no longer holds it counts
// as retracted; a failed retraction is tried again next run). Retractions are reported
// after the postings. With `dry_run` (ledger may be null) nothing is sent or written:
// changed postings are reported as planned, retractions as retract_planned.
std::vector<PublishReport> publish_postings(source::Source& source,
                                            const std::vector<lever::Posting>& postings,
                                            ledger::Ledger* ledger,
                                            bool dry_run);

} // namespace pjats::sync
