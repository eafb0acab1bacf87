#pragma once

#include <pjats/core/result.hpp>
#include <pjats/ledger/ledger.hpp>
#include <pjats/send/target.hpp>

#include <string>

namespace pjats::send {

enum class ItemStatus {
    sent,           // created now
    found_existing, // an earlier unknown outcome turned out to have created it
    skipped,        // already sent according to the ledger
    dry_run,        // nothing sent; `request` holds what would be
    review,         // unknown outcome that cannot be looked up: a human must check
    failed,         // not sent; `error` says why
};

const char* to_string(ItemStatus status);

struct ItemReport {
    std::string candidate_id;
    ItemStatus status = ItemStatus::failed;
    Outcome outcome;        // for sent / found_existing / skipped (remote id from the ledger)
    Error error;            // for failed / review
    std::string request;    // for dry_run
};

struct SendFlags {
    bool force = false;   // send even when the ledger says sent / review
    bool dry_run = false; // describe, send nothing, write nothing
};

// Sends one candidate to one target, keeping the ledger truthful:
//   pending is written before the request and replaced by sent/failed/review after it;
//   a row already sent is skipped (unless forced);
//   a pending/review row from an earlier run is an unknown outcome: looked up when the
//   target can (then re-sent only if nothing is found), else reported for review.
// Never throws for expected failures; the report says what happened.
ItemReport send_one(Target& target,
                    ledger::Ledger& ledger,
                    const model::Candidate& candidate,
                    const Placement& placement,
                    const SendFlags& flags);

} // namespace pjats::send
