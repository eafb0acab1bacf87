// The sync pass: linked Purpose Jobs jobs -> Lever postings through the run engine. Every
// application is listed each run and decided from the ledger; the per-job cursors say how
// far earlier runs reported (docs/sync.md).

#include "tracking.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/send/engine.hpp>
#include <pjats/sync/sync.hpp>

#include <chrono>
#include <ctime>
#include <mutex>

namespace pjats::sync {

namespace {

constexpr const char* k_origin_applied = "applied";

// Listing failures that make every further listing pointless: stop the run.
bool stops_the_run(const Error& error) {
    return error.kind == ErrorKind::auth || error.kind == ErrorKind::config
           || error.kind == ErrorKind::usage;
}

std::string iso_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

// One linked job within a run: all its applications, those that need the engine or a
// report (`work`, indices in cursor order) and which are done, so the cursor passes
// exactly the contiguous prefix of final ones.
struct JobRun {
    std::string job_id;
    std::string posting_id;
    std::string since;
    std::vector<model::Application> applications;
    std::vector<bool> final; // per application: settled, or reported and final
    std::vector<std::size_t> work;
    std::vector<bool> unchanged; // per application: rejected earlier for this same record
    std::size_t prefix = 0;  // applications [0, prefix) are final
    std::size_t handed_out = 0; // into `work`
};

constexpr int k_job_shift = 32;

std::uint64_t tag_of(std::size_t job, std::size_t application) {
    return (static_cast<std::uint64_t>(job) << k_job_shift) | application;
}

class Run {
  public:
    Run(source::Source& source, send::Target& target, ledger::Ledger* ledger,
        const Options& options, Observer& observer)
        : m_source(source),
          m_target(target),
          m_ledger(ledger),
          m_options(options),
          m_observer(observer) {}

    // Reads every job's cursor (only this run moves them: it holds the sync lock).
    bool start(const std::map<std::string, std::string>& links) {
        for (const auto& [job_id, posting_id] : links) {
            JobRun job{job_id, posting_id, {}, {}, {}, {}, {}, 0, 0};
            if (m_ledger != nullptr) {
                auto cursor = m_ledger->cursor(cursor_key(job_id));
                if (cursor && cursor->empty()) {
                    cursor = m_ledger->cursor(job_id); // written before cursors had accounts
                }
                if (!cursor) {
                    m_summary.fatal = cursor.error();
                    return false;
                }
                job.since = *cursor;
            }
            m_jobs.push_back(std::move(job));
        }
        return true;
    }

    // The engine's work source: the next application, listing the next job when needed.
    std::optional<send::WorkItem> next() {
        while (m_current < m_jobs.size()) {
            JobRun& job = m_jobs[m_current];
            if (!m_listed && !list(job)) {
                return std::nullopt;
            }
            m_listed = true;
            while (job.handed_out < job.work.size()) {
                const std::size_t index = job.work[job.handed_out];
                if (job.unchanged[index]) {
                    ++job.handed_out;
                    skip_unchanged(m_current, index);
                    continue;
                }
                if (!take_one()) {
                    return std::nullopt;
                }
                ++job.handed_out;
                return send::WorkItem(
                    job.applications[index].candidate, placement_of(job), tag_of(m_current, index));
            }
            ++m_current;
            m_listed = false;
        }
        return std::nullopt;
    }

    // The engine's report sink: observer, tally, and the job's cursor.
    void report(const send::WorkItem& item, const send::ItemReport& report) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        const std::size_t index = item.tag & ((std::uint64_t{1} << k_job_shift) - 1);
        record(item.tag >> k_job_shift, index, report);
    }

    Summary finish(const send::RunSummary& engine) {
        m_summary.interrupted = engine.interrupted;
        if (engine.stopped_by && !m_summary.fatal) {
            m_summary.fatal = engine.stopped_by;
        }
        if (m_summary.fatal) {
            m_summary.tally.stop(*m_summary.fatal);
        }
        if (m_summary.interrupted) {
            m_summary.tally.interrupt();
        }
        derive_counts();
        if (!m_options.dry_run && m_ledger != nullptr && !m_summary.fatal
            && !m_summary.interrupted) {
            (void)m_ledger->set_meta("last_sync", iso_now());
            (void)m_ledger->set_meta("last_sync_counts", counts_json(m_summary.counts));
        }
        return std::move(m_summary);
    }

    Summary fail(Error error) {
        m_summary.fatal = std::move(error);
        return finish(send::RunSummary{});
    }

  private:
    // Cursors belong to the account the applications went to: another account starts
    // from the beginning.
    std::string cursor_key(const std::string& job_id) const {
        const std::string account = m_target.account();
        return account.empty() ? job_id : account + "|" + job_id;
    }

    static send::Placement placement_of(const JobRun& job) {
        send::Placement placement;
        placement.lever_posting = job.posting_id;
        placement.lever_origin = k_origin_applied;
        return placement;
    }

    ledger::Key key_of(const JobRun& job, const model::Application& application) const {
        return ledger::Key{application.candidate.id,
                           m_target.name(),
                           m_target.destination(placement_of(job)),
                           m_target.account()};
    }

    // Counts one application against --limit; false (and `limited`) when the budget is
    // spent.
    bool take_one() {
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (m_options.limit != 0 && m_taken >= m_options.limit) {
            m_summary.limited = true;
            return false;
        }
        ++m_taken;
        return true;
    }

    // An application rejected earlier for this very record: reported as skipped, no request.
    void skip_unchanged(std::size_t job_index, std::size_t index) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        send::ItemReport report;
        report.candidate_id = m_jobs[job_index].applications[index].candidate.id;
        report.status = send::ItemStatus::skipped;
        report.outcome.detail = "rejected earlier and the record is unchanged: not sent again "
                                "until it changes (or sync --retry-failed)";
        record(job_index, index, report);
    }

    // One report (m_mutex held): observer, tally, the rejected record's hash, the cursor.
    void record(std::size_t job_index, std::size_t index, const send::ItemReport& report) {
        JobRun& job = m_jobs[job_index];
        ++m_summary.counts.applications;
        m_summary.tally.add(report);
        m_observer.item(job.job_id, job.applications[index], report);
        if (m_options.dry_run || !is_final(report)) {
            return;
        }
        if (report.status == send::ItemStatus::failed
            && !job.applications[index].candidate.id.empty()) {
            // A rejected record is not sent again until it changes (or --retry-failed).
            const model::Candidate& candidate = job.applications[index].candidate;
            if (auto kept = m_ledger->set_meta(
                    detail::rejected_record_meta(key_of(job, job.applications[index])),
                    detail::record_hash(candidate));
                !kept) {
                m_summary.tally.add_failure(kept.error()); // costs one retry next run
            }
        }
        job.final[index] = true;
        const std::size_t before = job.prefix;
        advance(job);
        if (job.prefix == before) {
            return;
        }
        const std::string& cursor = job.applications[job.prefix - 1].cursor;
        if (cursor <= job.since) {
            return; // the cursor never moves back
        }
        if (auto moved = m_ledger->set_cursor(cursor_key(job.job_id), cursor); !moved) {
            // Costs only more applications reported as skipped next run.
            m_summary.tally.add_failure(moved.error());
        }
    }

    static void advance(JobRun& job) {
        while (job.prefix < job.final.size() && job.final[job.prefix]) {
            ++job.prefix;
        }
    }

    // Decides every listed application of `job` from the ledger (m_mutex held): settled
    // ones are final already, the others go to `work`. false: the ledger failed.
    bool plan(JobRun& job) {
        const std::size_t count = job.applications.size();
        job.final.assign(count, false);
        job.unchanged.assign(count, false);
        std::set<std::string> open_steps;
        if (m_ledger != nullptr) {
            auto rows = detail::rows_with_open_steps(*m_ledger);
            if (!rows) {
                m_summary.fatal = rows.error();
                return false;
            }
            open_steps = std::move(*rows);
        }
        for (std::size_t i = 0; i < count; ++i) {
            const model::Application& application = job.applications[i];
            detail::Plan plan = detail::Plan::send;
            if (m_ledger != nullptr && !application.candidate.id.empty()) {
                const ledger::Key key = key_of(job, application);
                auto entry = m_ledger->get(key);
                if (!entry) {
                    m_summary.fatal = entry.error();
                    return false;
                }
                std::string hash;
                if (entry->has_value() && (**entry).state == ledger::State::failed) {
                    auto stored = m_ledger->meta(detail::rejected_record_meta(key));
                    if (!stored) {
                        m_summary.fatal = stored.error();
                        return false;
                    }
                    hash = *stored;
                }
                const bool before_cursor = !job.since.empty() && application.cursor <= job.since;
                plan = detail::plan_for(
                    *entry, hash, application.candidate, before_cursor, m_options.retry_failed);
                if (plan == detail::Plan::settled && (**entry).state == ledger::State::sent
                    && open_steps.count(detail::step_row_id(key))) {
                    plan = detail::Plan::send; // sent, with a note or file still missing
                }
            }
            if (plan == detail::Plan::settled) {
                job.final[i] = true;
                continue;
            }
            job.unchanged[i] = plan == detail::Plan::unchanged;
            job.work.push_back(i);
        }
        advance(job);
        return true;
    }

    // Whether an unreadable entry is reported now (m_mutex held): once, by the first run
    // that finds it (each run lists everything; a fixed entry becomes an application).
    bool first_report(const JobRun& job, const Error& error) {
        if (m_ledger == nullptr) {
            return true;
        }
        const std::string name =
            detail::source_error_meta(m_target.account(), job.job_id, error.message);
        auto seen = m_ledger->meta(name);
        if (seen && !seen->empty()) {
            return false;
        }
        if (!m_options.dry_run) {
            (void)m_ledger->set_meta(name, iso_now()); // lost: reported once more next run
        }
        return true;
    }

    // Lists all of `job`'s applications and plans them; false when the run must stop.
    bool list(JobRun& job) {
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            if (m_options.limit != 0 && m_taken >= m_options.limit) {
                m_summary.limited = true;
                return false;
            }
        }
        auto page = m_source.applications(job.job_id, std::string(), 0);
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (!page) {
            Error error = std::move(page).error();
            if (stops_the_run(error)) {
                m_summary.fatal = std::move(error);
                return false;
            }
            // This job's listing failed (e.g. the source is down): report, go on.
            ++m_summary.counts.source_errors;
            m_summary.tally.add_failure(error);
            m_observer.source_error(job.job_id, error);
            return true; // an empty job: next() moves on
        }
        ++m_summary.counts.jobs;
        job.applications = std::move(page->applications);
        if (!plan(job)) {
            return false;
        }
        m_observer.job_started(job.job_id, job.posting_id, job.since, job.work.size());
        for (const Error& error : page->errors) {
            if (!first_report(job, error)) {
                continue;
            }
            ++m_summary.counts.source_errors;
            m_summary.tally.add_failure(error);
            m_observer.source_error(job.job_id, error);
        }
        return true;
    }

    void derive_counts() {
        const send::TallyCounts& t = m_summary.tally.counts();
        Counts& c = m_summary.counts;
        c.sent = t.sent;
        c.skipped = t.skipped;
        c.in_flight = t.in_flight;
        c.failed = t.failed - t.retryable;
        c.temporary = t.retryable;
        c.review = t.review;
        c.planned = t.dry_run;
    }

    source::Source& m_source;
    send::Target& m_target;
    ledger::Ledger* m_ledger; // used by start(), then only under m_mutex
    const Options& m_options;
    Observer& m_observer;
    std::mutex m_mutex; // summary and observer calls; next() and report() run concurrently
    Summary m_summary;
    std::vector<JobRun> m_jobs; // fixed after start(); each job filled by next() before use
    std::size_t m_current = 0;  // next() only
    bool m_listed = false;      // next() only
    std::size_t m_taken = 0;    // guarded by m_mutex
};

} // namespace

Summary run(source::Source& source,
            send::Target& target,
            const ledger::LedgerOpener& open_ledger,
            const std::map<std::string, std::string>& links,
            const Options& options,
            Observer& observer) {
    std::unique_ptr<ledger::Ledger> cursors;
    if (open_ledger) {
        auto opened = open_ledger();
        if (!opened) {
            Run failed(source, target, nullptr, options, observer);
            return failed.fail(std::move(opened).error());
        }
        cursors = std::move(*opened);
    }
    Run pass(source, target, cursors.get(), options, observer);
    if (!options.dry_run && !cursors) {
        return pass.fail(make_error(ErrorKind::usage, "sync needs a ledger unless it is a dry run"));
    }
    if (!pass.start(links)) {
        return pass.finish(send::RunSummary{});
    }
    send::RunOptions run_options;
    run_options.workers = options.workers;
    run_options.dry_run = options.dry_run;
    run_options.record_invalid = true;
    run_options.interrupted = options.stop;
    run_options.unknown = options.unknown;
    auto engine = send::run(
        target, run_options, open_ledger, [&pass] { return pass.next(); },
        [&pass](const send::WorkItem& item, const send::ItemReport& report) {
            pass.report(item, report);
        });
    if (!engine) {
        return pass.fail(std::move(engine).error());
    }
    return pass.finish(*engine);
}

} // namespace pjats::sync
