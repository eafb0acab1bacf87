#pragma once

// Giving up a follow-up step of a sent row (docs/ledger.md, "Steps"): a résumé URL that
// will never work leaves the row "sent, file failed" for good unless someone ends it.

#include <pjats/core/result.hpp>
#include <pjats/ledger/ledger.hpp>

#include <string>

namespace pjats::send {

// What skip_step found and did.
struct SkippedStep {
    ledger::StepState before = ledger::StepState::todo; // the step's state before
    bool already_done = false; // it was done (or skipped) already: nothing changed
};

// Ends step `name` of the sent row `key` without doing it: the step is recorded as done,
// with no remote id and `reason` as its note, so no later run tries it again and it no
// longer counts as outstanding. Errors: not_found (no such row, or no such step), usage
// (the row is not sent), conflict (a live run holds the step).
Result<SkippedStep> skip_step(ledger::Ledger& ledger, const ledger::Key& key,
                              const std::string& name, const std::string& reason);

} // namespace pjats::send
