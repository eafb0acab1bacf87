#pragma once

// Per-application tracking for sync (docs/sync.md, "Which applications are sent"): what the
// ledger says of one application, and the record hash kept with a rejected one.

#include <pjats/ledger/ledger.hpp>
#include <pjats/model/candidate.hpp>

#include <optional>
#include <set>
#include <string>

namespace pjats::sync::detail {

// SHA-256 of the record's fields as sent (everything but `origin`), so an edited record
// has another hash.
std::string record_hash(const model::Candidate& candidate);

// The ledger meta entry holding the hash of the record a permanently failed send was
// rejected for: one per (account, candidate, target, destination).
std::string rejected_record_meta(const ledger::Key& key);

// The ledger meta entry marking an unreadable application entry of `job_id` as reported
// (by the hash of its error message), so each one is reported once, not on every run.
std::string source_error_meta(const std::string& account,
                              const std::string& job_id,
                              const std::string& message);

// What to do with one listed application.
enum class Plan {
    send,      // hand it to the run engine (new, late, temporary failure, pending, changed)
    settled,   // nothing to do and nothing to say: sent/reviewed/rejected before the cursor
    unchanged, // rejected earlier for this very record: report it as skipped, no request
};

// `entry`: the application's ledger row, if any; `hash`: the stored rejected-record hash
// ("" when none); `before_cursor`: the application sorts at or before the job's cursor (it
// was reported by an earlier run).
Plan plan_for(const std::optional<ledger::Entry>& entry,
              const std::string& hash,
              const model::Candidate& candidate,
              bool before_cursor,
              bool retry_failed);

// The rows whose follow-up steps are not all done (docs/ledger.md, "Steps"), as
// step_row_ids: a sent row among them is handed to the engine again, which finishes only
// the missing steps.
Result<std::set<std::string>> rows_with_open_steps(ledger::Ledger& ledger);
std::string step_row_id(const ledger::Key& key);

} // namespace pjats::sync::detail
