#pragma once

// Moving a ledger between backends (SQLite ⇄ PostgreSQL) as JSON Lines: `pj-ats ledger
// export` / `pj-ats ledger import` (docs/ledger.md, "Export and import").
//
// Format, one JSON object per line:
//   {"kind":"pj-ats-ledger","format":2,"lineage":"…"}          first line
//   {"kind":"send","account":…,"candidate_id":…,"target":…,"destination":…,"state":…,
//    "remote_id":…,"lookup_hint":…,"last_error":…,"temporary":false,"attempts":1,
//    "updated_at":…,"holder":…,"version":1,"attempt_at_ms":…,"previous_remote_ids":…,
//    "credited_to":…}
//   {"kind":"step","account":…,"candidate_id":…,"target":…,"destination":…,"step":…,
//    "state":…,"remote_id":…,"holder":…,"version":…,"attempt_at_ms":…,"last_error":…}
//   {"kind":"tracking","account":…,…,"remote_id":…,"state":…,"stage":…,"job":…,"link":…,
//    "state_since":…,"hired_seen_at":…,"hired_at":…,"checked_at":…}
//   {"kind":"cursor","job_id":…,"cursor":…}
//   {"kind":"meta","name":…,"value":…}       (not "lineage" nor "serial": the ledger's own)
// Exporting, importing into an empty ledger and exporting again gives the same file.

#include <pjats/core/result.hpp>
#include <pjats/ledger/ledger.hpp>

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace pjats::ledger {

struct ExportCounts {
    std::int64_t rows = 0;
    std::int64_t steps = 0;
    std::int64_t tracking = 0;
    std::int64_t cursors = 0;
    std::int64_t meta = 0;
};

// Writes every row, cursor and metadata entry of `ledger` to `out`.
Result<ExportCounts> export_jsonl(Ledger& ledger, std::ostream& out);

struct ImportReport {
    std::int64_t rows_added = 0;
    std::int64_t pending_added = 0; // rows whose outcome is unknown: a later run resolves them
    std::vector<Key> rows_kept;     // a row with the same key existed and was left alone
    std::int64_t cursors_added = 0;
    std::int64_t cursors_kept = 0;
    std::int64_t meta_added = 0;
    std::int64_t meta_kept = 0;
    std::int64_t steps_added = 0;
    std::int64_t steps_kept = 0;
    std::int64_t tracking_added = 0;
    std::int64_t tracking_kept = 0;
    // Set when the ledger was empty and took the file's lineage (the history moved here).
    std::string lineage_adopted;
};

// Adds what `in` holds to `ledger`: rows keep their state, remote ids, holder and
// version, so nothing sent is sent again; steps their state and ids, tracking its
// first-seen dates; an existing row, step, tracking row, cursor or metadata entry with the
// same key is kept. A ledger with history keeps its own lineage; an empty one takes the
// file's (ImportReport::lineage_adopted). A malformed line is a
// validation error naming `origin` and the line number; lines before it stay imported
// (importing again is harmless).
Result<ImportReport> import_jsonl(Ledger& ledger, std::istream& in, const std::string& origin);

} // namespace pjats::ledger
