#pragma once

#include <pjats/core/result.hpp>
#include <pjats/ledger/ledger.hpp>
#include <pjats/send/target.hpp>

#include <algorithm>
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

// How an unknown outcome is resolved without racing the server (docs/ledger.md, "Unknown
// outcomes"): a create (or step) whose outcome is unknown is never done again by the run
// that tried it — it is looked up over `window` after the outcome became unknown, and
// left pending when nothing turned up. A later run (or the resolution of a dead run's
// claim) does it again only after a lookup that started once `resend_after` (at least
// `window`) has passed since the attempt's last possible request — the claim, or the dead
// holder's last heartbeat plus one interval — so a request the server commits late (after
// our timeout, after retries) is found instead of duplicated. Callers pass the request
// timeout as `window` and timeout × attempts per request as `resend_after`.
struct UnknownOutcomePolicy {
    std::chrono::milliseconds window{0};
    std::chrono::milliseconds resend_after{0};
    std::chrono::milliseconds poll_interval{1'000};
    std::function<void(std::chrono::milliseconds)> sleep; // empty: this_thread::sleep_for
    std::function<std::int64_t()> now_ms;                 // empty: the system clock (unix ms)

    // The wait after an attempt's last possible request before it may be done again.
    std::int64_t quiet_ms() const { return std::max(window, resend_after).count(); }
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
