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

} // namespace pjats::send::detail
