#pragma once

#include <pjats/core/result.hpp>
#include <pjats/ledger/ledger.hpp>
#include <pjats/lever/model.hpp>
#include <pjats/source/source.hpp>

#include <string>
#include <vector>

namespace pjats::sync {

// What happened to one Lever posting when publishing to the source.
struct PublishReport {
    enum class Status { published, unchanged, planned, failed };
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
// "published_posting:<id>" holds its hash) is not sent again. With `dry_run` (ledger may
// be null) nothing is sent or written: changed postings are reported as planned.
std::vector<PublishReport> publish_postings(source::Source& source,
                                            const std::vector<lever::Posting>& postings,
                                            ledger::Ledger* ledger,
                                            bool dry_run);

} // namespace pjats::sync
