#pragma once

#include <pjats/core/result.hpp>
#include <pjats/ledger/ledger.hpp>
#include <pjats/send/target.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pjats::send {

enum class ItemStatus {
    sent,           // created now
    found_existing, // an earlier unknown outcome turned out to have created it
    skipped,        // already sent according to the ledger
    dry_run,        // nothing sent; `request` holds what would be
    review,         // unknown outcome that cannot be looked up: a human must check
    failed,         // not sent; `error` says why
    in_flight,      // another live run holds this send; `error.message` says which
};

const char* to_string(ItemStatus status);

struct ItemReport {
    std::string candidate_id;
    ItemStatus status = ItemStatus::failed;
    Outcome outcome;        // for sent / found_existing / skipped (remote id from the ledger)
    Error error;            // for failed / review
    std::string request;    // for dry_run
    // For sent / dry_run to Greenhouse: the candidate was already sent to the same account
    // the other way — as a prospect ("prospect 100000001") when this send is onto a job, on
    // a job ("candidate 100000004 on job:4690") when this one is a prospect — so this
    // makes a second candidate.
    std::string already_as;
    // Follow-up steps done by this run ("note", "file"; docs/ledger.md, "Steps"). A row
    // already sent whose steps were outstanding is reported `sent` with the steps it
    // finished; a step that failed makes the item `failed` with outcome.remote_id set.
    std::vector<std::string> steps;
};

struct SendFlags {
    bool force = false;   // send even when the ledger says sent / review
    bool dry_run = false; // describe, send nothing, write nothing
};

// How an unknown outcome is resolved without racing the server: a lookup that finds
// nothing is repeated until `window` has passed since the outcome became unknown (for a
// dead run's claim: since its last heartbeat), so a request still being processed has
// finished before anything is sent again. Callers pass the transport's request timeout.
struct UnknownOutcomePolicy {
    std::chrono::milliseconds window{0};
    std::chrono::milliseconds poll_interval{1'000};
    std::function<void(std::chrono::milliseconds)> sleep; // empty: this_thread::sleep_for
    std::function<std::int64_t()> now_ms;                 // empty: the system clock (unix ms)
};

// Sends one candidate to one target, keeping the ledger truthful (docs/ledger.md):
//   the send is claimed for this run (a compare-and-swap on the row) before the request
//   and the claim replaced by sent/failed/review after it;
//   a row already sent is skipped (unless forced), a row under review is reported;
//   a pending row held by another live run is reported in_flight and left alone;
//   a pending row whose run is gone is an unknown outcome: looked up over `unknown`'s
//   window by every e-mail stored with its claims when the target can (re-sent only if
//   nothing is found), else marked for review.
// Never throws for expected failures; the report says what happened.
ItemReport send_one(Target& target,
                    ledger::Ledger& ledger,
                    const model::Candidate& candidate,
                    const Placement& placement,
                    const SendFlags& flags,
                    const UnknownOutcomePolicy& unknown = {});

// --dry-run for one candidate: what a real run would do, sending and writing nothing. With
// a ledger (may be null) and a target that knows its account, a row already sent or under
// review is reported as a real run would (skipped / review) unless `force`; otherwise the
// exact request is described (dry_run).
ItemReport dry_run_one(Target& target,
                       ledger::Ledger* ledger,
                       const model::Candidate& candidate,
                       const Placement& placement,
                       bool force);

} // namespace pjats::send
