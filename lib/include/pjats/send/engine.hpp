#pragma once

// The one run engine behind `send` (a single id is a run of one) and `sync`: worker
// threads pull items from a source one at a time (memory stays flat in their number),
// check and send each through the ledger protocol (send_one) or describe it (dry run),
// and report every item exactly once.

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

// A candidate that could not be loaded (unknown id, unreadable record): reported as failed.
struct LoadFailure {
    std::string candidate_id;
    Error error;
};

// One unit of work: a candidate (or why it could not be loaded), where it goes, and the
// caller's own number for it (sync: which application), handed back with its report.
struct WorkItem {
    WorkItem() = default;
    WorkItem(model::Candidate candidate, Placement where = {}, std::uint64_t number = 0)
        : what(std::move(candidate)), placement(std::move(where)), tag(number) {}
    WorkItem(LoadFailure failure, Placement where = {}, std::uint64_t number = 0)
        : what(std::move(failure)), placement(std::move(where)), tag(number) {}

    std::variant<model::Candidate, LoadFailure> what;
    Placement placement;
    std::uint64_t tag = 0;
};

// Returns the next item, nullopt when there are no more. Called from the worker threads
// but never from two at once, so it needs no locking of its own.
using WorkSource = std::function<std::optional<WorkItem>()>;

// Receives every report with its item. Called from the worker threads, never two at once
// (so it may use a ledger connection of its own that nothing else uses meanwhile).
using ReportSink = std::function<void(const WorkItem&, const ItemReport&)>;

// Opens a ledger connection; called once per worker (a Ledger is not shared by threads).
// Each connection must act for the same run (Ledger::use_run). A dry run may yield a null
// ledger (none exists yet); a real run needs one.
using ledger::LedgerOpener;

struct RunOptions {
    int workers = 1; // threads sending at once (at least 1)
    bool force = false;
    bool dry_run = false;
    // A record that fails local validation is recorded as a permanent failure in the
    // ledger (sync: so the application is known as refused), not only reported.
    bool record_invalid = false;
    // Checked before each item is taken: once true, no new item is started and the sends
    // in flight finish normally (so their ledger rows end sent/failed/review).
    const std::atomic<bool>* interrupted = nullptr;
    UnknownOutcomePolicy unknown; // see send_one
};

struct RunSummary {
    std::int64_t processed = 0; // items taken from the source and reported
    bool interrupted = false;   // stopped early by RunOptions::interrupted
    // The first failure that makes every further send pointless (authentication after
    // any refresh, configuration): it stops the run like an interrupt.
    std::optional<Error> stopped_by;
};

// What one item comes to: a load failure, a record that fails validation, the described
// request (dry run, reading `ledger` when there is one), or send_one. The one place these
// rules live.
ItemReport process(Target& target, ledger::Ledger* ledger, const WorkItem& item,
                   const RunOptions& options);

// Runs every item of `source` on options.workers threads, each with its own ledger from
// `open_ledger`, and reports each exactly once to `report`. Until one item has come back
// without an authentication failure, items go one at a time (a wrong key costs one
// request, not one per worker). `target` is shared by the workers and must be safe to call
// from several threads (the Greenhouse and Lever targets are when their transport is).
// Fails only when a ledger cannot be opened, before anything is sent.
Result<RunSummary> run(Target& target,
                       const RunOptions& options,
                       const LedgerOpener& open_ledger,
                       const WorkSource& source,
                       const ReportSink& report);

} // namespace pjats::send
