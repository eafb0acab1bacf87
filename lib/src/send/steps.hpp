#pragma once

// The follow-up steps of a send (docs/ledger.md, "Steps"). Private to lib/src/send.

#include <pjats/ledger/ledger.hpp>
#include <pjats/send/sender.hpp>

namespace pjats::send::detail {

// Makes the target's steps for `candidate` the planned (todo) steps of `key`, under this
// run's claim of the row and before the create. Nothing when the target has none.
Status plan_steps(Target& target, ledger::Ledger& ledger, const ledger::Key& key,
                  const model::Candidate& candidate);

// Does every step of `key` that is not done yet, each at most once in the target: a step
// claimed by a run that is gone is looked up first (over `unknown`'s window) and done only
// when nothing turned up. `base` is the report of the record (sent, found_existing or
// skipped, outcome.remote_id set); the result lists the steps done in `steps` (a skipped row
// that had steps left becomes `sent`), or is `failed` (a step failed; remote id kept) or
// `in_flight` (another live run holds a step).
ItemReport finish_steps(Target& target, ledger::Ledger& ledger, const ledger::Key& key,
                        const model::Candidate& candidate, ItemReport base,
                        const UnknownOutcomePolicy& unknown);

// Right before a request under this run's claim of `key` (of its step `step` when not
// empty), claimed at `claimed_boottime` (ledger::boottime_ms() taken before the claim):
// true when the lease has been held since then; otherwise the lease is renewed and the
// claim re-confirmed in the ledger (docs/ledger.md, "Fenced requests"). false: another run
// holds it now — send nothing.
Result<bool> hold_claim(ledger::Ledger& ledger, const ledger::Key& key, const std::string& step,
                        std::int64_t claimed_boottime);

// `status`: a holder of `holder` judged alive. One judged by its lease alone (another
// machine or pid namespace) may be a dead run whose lease has not run out yet: waits until
// it renews its lease (true: it is running, leave its claim to it) or its lease runs out
// (false: judge it again — it is gone). true at once for a holder judged by its process.
Result<bool> holder_renews(ledger::Ledger& ledger, const std::string& holder,
                           ledger::HolderStatus status, const UnknownOutcomePolicy& policy);

// hold_claim as an http::SendGuard: ok while the claim is held; else `lost` is set and a
// conflict error stops the request (a ledger error stops it too).
Status fence(ledger::Ledger& ledger, const ledger::Key& key, const std::string& step,
             std::int64_t claimed_boottime, bool& lost);

// The report of a request not made because the claim was lost while this run was stopped
// or suspended past its lease.
Error claim_lost();

} // namespace pjats::send::detail
