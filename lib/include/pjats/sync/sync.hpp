#pragma once

#include <pjats/core/result.hpp>
#include <pjats/ledger/ledger.hpp>
#include <pjats/model/candidate.hpp>
#include <pjats/send/sender.hpp>
#include <pjats/send/tally.hpp>
#include <pjats/send/target.hpp>
#include <pjats/source/source.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pjats::sync {

// Whether an application's send reached a state that lets the job's cursor move past it:
// sent, found already, skipped (sent earlier), for review, or failed for a reason that
// retrying cannot fix (validation, not found). Temporary failures (network, 5xx, rate
// limit, unknown outcome) and auth/config failures are not final.
bool is_final(const send::ItemReport& report);

// The cursor after a run: the cursor of the last application of the contiguous prefix of
// `attempts` (in cursor order) whose sends were final; `since` when the first one was not.
struct Attempt {
    std::string cursor;
    bool final = false;
};

std::string advance_cursor(const std::string& since, const std::vector<Attempt>& attempts);

struct Options {
    // Applications handed to the run engine per run, over all jobs (0: no cap); those the
    // ledger settles without a request do not count.
    std::size_t limit = 0;
    bool dry_run = false;  // plan only: send nothing, write nothing (ledger may be absent)
    // Send permanently failed applications again even when their record is unchanged.
    bool retry_failed = false;
    int workers = 1;       // applications sent at once (the run engine's workers)
    // Checked before each application is taken: when set, no new one starts and the sends
    // in flight finish.
    const std::atomic<bool>* stop = nullptr;
    send::UnknownOutcomePolicy unknown; // see send::send_one
};

// What a run reports as it goes (printing lives in the CLI). Calls never overlap (the run
// serialises them), though they may come from different threads.
class Observer {
  public:
    virtual ~Observer() = default;
    // A linked job's applications were listed (also in dry runs); `applications`: how many
    // need a send or a report this run (new, late, retried, or after the cursor).
    virtual void job_started(const std::string& job_id,
                             const std::string& posting_id,
                             const std::string& cursor,
                             std::size_t applications) = 0;
    // One application was sent (or planned, status dry_run, request filled), or skipped:
    // already sent, or rejected earlier with an unchanged record (no remote id, `detail`
    // says why); `final`: the cursor may pass it (is_final).
    virtual void item(const std::string& job_id,
                      const model::Application& application,
                      const send::ItemReport& report) = 0;
    // An entry the source could not read (malformed application record).
    virtual void source_error(const std::string& job_id, const Error& error) = 0;
};

struct Counts {
    std::int64_t jobs = 0;
    std::int64_t applications = 0; // processed this run
    std::int64_t sent = 0;         // created now (or found after an unknown outcome)
    std::int64_t skipped = 0;      // already in the ledger
    std::int64_t in_flight = 0;    // held by another live run (looked at again next run)
    std::int64_t failed = 0;       // permanent failures (retried once the record changes)
    std::int64_t temporary = 0;    // temporary failures (retried on the next run)
    std::int64_t review = 0;
    std::int64_t source_errors = 0;
    std::int64_t planned = 0; // dry run
};

struct Summary {
    Counts counts;              // derived from `tally` when the run ends
    send::Tally tally;          // the outcomes, and the exit code (send::Tally's rule)
    bool interrupted = false;
    bool limited = false;       // --limit stopped the run before everything was seen
    std::optional<Error> fatal; // auth/config/source failure that stopped the run
};

// One sync pass: for every link (Purpose Jobs job -> Lever posting), in job order, lists
// ALL the job's applications and decides each from its ledger row (docs/sync.md): no row,
// pending or a temporary failure -> the run engine (send::run, options.workers at once)
// with origin "applied" on the linked posting, so the ledger keeps every send exactly
// once; a permanent failure -> sent again only when its record's hash differs from the
// one stored when it was rejected (meta "rejected_record|…") or with retry_failed, else
// reported as skipped without a request; sent or for review -> nothing. Applications at or
// before the job's cursor that need nothing are not reported; the cursor moves (forward
// only) past the contiguous prefix of final sends, whatever order concurrent sends finish
// in. Records that fail validation are marked failed in the ledger. Auth and config errors
// stop the run. Unless a dry run, stopped or interrupted, writes meta "last_sync" (ISO
// 8601 UTC) and "last_sync_counts" (JSON).
// `open_ledger` gives one connection per worker plus one (a dry run: may give none).
Summary run(source::Source& source,
            send::Target& target,
            const ledger::LedgerOpener& open_ledger,
            const std::map<std::string, std::string>& links,
            const Options& options,
            Observer& observer);

// `counts` as a JSON object (counts.cpp).
std::string counts_json(const Counts& counts);

// The members of a flat JSON object of non-negative integers with plain names
// ({"sent":3,"failed":0}), in order; nullopt for anything else (then it is not echoed
// into status output).
using NamedCounts = std::vector<std::pair<std::string, std::int64_t>>;
std::optional<NamedCounts> parse_counts_json(const std::string& text);

} // namespace pjats::sync
