#pragma once

// Sending many candidates concurrently: worker threads pull candidates from a source one
// at a time (memory stays flat in their number) and run send_one for each.

#include <pjats/core/result.hpp>
#include <pjats/ledger/ledger.hpp>
#include <pjats/model/candidate.hpp>
#include <pjats/send/sender.hpp>
#include <pjats/send/target.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace pjats::send {

// A candidate that could not be loaded (unknown id, invalid record): reported as failed.
struct LoadFailure {
    std::string candidate_id;
    Error error;
};

// One unit of work: a candidate to send, or an id that failed to load.
using WorkItem = std::variant<model::Candidate, LoadFailure>;

// Returns the next item, nullopt when there are no more. run_bulk calls it from its worker
// threads but never from two at once, so it needs no locking of its own.
using WorkSource = std::function<std::optional<WorkItem>()>;

// Receives every report. run_bulk calls it from its worker threads, never two at once.
using ReportSink = std::function<void(const ItemReport&)>;

// Opens a ledger connection; called once per worker (a Ledger is not shared by threads).
// Each connection must act for the same run (Ledger::use_run).
using ledger::LedgerOpener;

struct BulkOptions {
    int workers = 1; // threads sending at once (at least 1)
    Placement placement;
    bool force = false;
    // Checked before each item is taken: once true, no new item is started and the sends
    // in flight finish normally (so their ledger rows end sent/failed/review).
    const std::atomic<bool>* interrupted = nullptr;
    UnknownOutcomePolicy unknown; // see send_one
};

struct BulkSummary {
    std::int64_t processed = 0; // items taken from the source and reported
    bool interrupted = false;   // stopped early by BulkOptions::interrupted
    // The first definitive authentication failure (401/403 after any refresh): it stops
    // the run like an interrupt, since every further send would fail the same way.
    std::optional<Error> auth_failure;
};

// Sends every item of `source` to `target` with options.workers threads, each with its own
// ledger from `open_ledger`, and reports each item exactly once to `report`. `target` is
// shared by the workers and must be safe to call from several threads (the Greenhouse and
// Lever targets are when their transport is). Fails only when a ledger cannot be opened,
// before anything is sent.
Result<BulkSummary> run_bulk(Target& target,
                             const BulkOptions& options,
                             const LedgerOpener& open_ledger,
                             const WorkSource& source,
                             const ReportSink& report);

} // namespace pjats::send
