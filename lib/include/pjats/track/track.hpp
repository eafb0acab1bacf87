#pragma once

// `track` and `hires`: where the candidates pj-ats sent now stand in each ATS, remembered
// in the ledger's `tracking` table (docs/tracking.md).
//
// States: active, hired, rejected (Greenhouse), archived (Lever, a non-hired archive
// reason), lost (the ATS no longer knows the id: Greenhouse leaves it out of its answer —
// merge, deletion, source change, no access — Lever answers 404).

#include <pjats/core/result.hpp>
#include <pjats/greenhouse/client.hpp>
#include <pjats/ledger/ledger.hpp>
#include <pjats/lever/client.hpp>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pjats::track {

// What one answer said about one sent row.
struct Observation {
    ledger::Key key;
    std::string remote_id;
    std::string state;
    std::string stage;
    std::string job;
    std::string link;
    std::int64_t hired_at = 0; // unix seconds, the ATS's own hire date (Lever); 0 none
};

// A row whose lookup got no answer.
struct Failure {
    ledger::Key key;
    Error error;
};

struct Answers {
    std::vector<Observation> seen;
    std::vector<Failure> failed;
    std::optional<Error> stopped_by; // auth/config: nothing more was asked
};

// Asks Greenhouse about `rows` (sent rows of target greenhouse) in batches of
// greenhouse::k_status_batch ids, the batches on `workers` threads sharing `client` (its
// transport must be thread-safe when workers > 1; its pacer holds the rate). A batch
// refused for auth stops the run (answers come back for the batches before it); an
// interrupt leaves the batches not yet asked out of both lists.
Answers ask_greenhouse(greenhouse::Client& client, const std::vector<ledger::Entry>& rows,
                       int workers = 1, const std::atomic<bool>* interrupted = nullptr);

// Asks Lever about `rows` (sent rows of target lever) on `workers` threads sharing
// `client` (its transport must be thread-safe; its pacer holds the rate): the stage names
// and the hired archive reasons first, then GET /v1/opportunities/:id per row. A 403 on
// stages or archive reasons is an auth error naming the scope/permission missing.
Answers ask_lever(lever::Client& client, const std::vector<ledger::Entry>& rows, int workers,
                  const std::atomic<bool>* interrupted);

// The ledger row after `seen`, given what the ledger had (`before`) and the time `now`
// (unix seconds): state_since kept while the state stays, hired_seen_at set once.
ledger::Tracked merge(const std::optional<ledger::Tracked>& before, const Observation& seen,
                      std::int64_t now);

// Whether `after` differs from `before` in state or stage (a new row differs).
bool changed(const std::optional<ledger::Tracked>& before, const ledger::Tracked& after);

// The hire date of a hired row: the ATS's (Lever archivedAt), else when pj-ats first saw
// `hired` (Greenhouse has no dates). `from_ats` tells which.
std::int64_t hire_date(const ledger::Tracked& row, bool* from_ats = nullptr);

// Hired rows whose hire date is in [since, until) (unix seconds; until 0: no end).
std::vector<ledger::Tracked> hires(const std::vector<ledger::Tracked>& rows, std::int64_t since,
                                   std::int64_t until);

// One hired Purpose Jobs candidate: `first` is the record with the earliest hire date
// (its date, job and link are the candidate's), `records` every hired record of the
// candidate in the window (a prospect and a candidate on a job are two Greenhouse records).
struct Hire {
    ledger::Tracked first;
    std::vector<ledger::Tracked> records;
};

// hires() grouped per Purpose Jobs candidate id, each candidate once, ordered by id.
std::vector<Hire> hires_by_candidate(const std::vector<ledger::Tracked>& rows,
                                     std::int64_t since,
                                     std::int64_t until);

// "2024-05-01" → unix seconds at 00:00 UTC; a usage error otherwise.
Result<std::int64_t> parse_date(const std::string& text);

// Unix seconds → "2024-05-01T09:30:00Z".
std::string format_time(std::int64_t unix_seconds);

} // namespace pjats::track
