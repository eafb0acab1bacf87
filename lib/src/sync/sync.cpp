// The sync pass: linked Purpose Jobs jobs -> Lever postings through the run engine,
// resumable through the ledger's per-job cursors (docs/sync.md).

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

// One linked job within a run: its applications after the cursor and which of them are
// done, so the cursor passes exactly the contiguous prefix of final ones.
struct JobRun {
    std::string job_id;
    std::string posting_id;
    std::string since;
    std::vector<model::Application> applications;
    std::vector<bool> final; // per application: reported, and final
    std::size_t prefix = 0;  // applications [0, prefix) are final
    std::size_t handed_out = 0;
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
            JobRun job{job_id, posting_id, {}, {}, {}, 0, 0};
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
            if (job.handed_out < job.applications.size()) {
                const std::size_t index = job.handed_out++;
                send::Placement placement;
                placement.lever_posting = job.posting_id;
                placement.lever_origin = k_origin_applied;
                return send::WorkItem(job.applications[index].candidate, std::move(placement),
                                      tag_of(m_current, index));
            }
            if (m_limited) {
                return std::nullopt;
            }
            ++m_current;
            m_listed = false;
        }
        return std::nullopt;
    }

    // The engine's report sink: observer, tally, and the job's cursor.
    void report(const send::WorkItem& item, const send::ItemReport& report) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        JobRun& job = m_jobs[item.tag >> k_job_shift];
        const std::size_t index = item.tag & ((std::uint64_t{1} << k_job_shift) - 1);
        ++m_summary.counts.applications;
        m_summary.tally.add(report);
        m_observer.item(job.job_id, job.applications[index], report);
        if (m_options.dry_run || !is_final(report)) {
            return;
        }
        job.final[index] = true;
        const std::size_t before = job.prefix;
        while (job.prefix < job.final.size() && job.final[job.prefix]) {
            ++job.prefix;
        }
        if (job.prefix == before) {
            return;
        }
        const std::string& cursor = job.applications[job.prefix - 1].cursor;
        if (auto moved = m_ledger->set_cursor(cursor_key(job.job_id), cursor); !moved) {
            // Costs only a re-listing next run (the ledger skips what was sent).
            m_summary.tally.add_failure(moved.error());
        }
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

    // Lists `job`'s applications after its cursor; false when the run must stop.
    bool list(JobRun& job) {
        std::size_t remaining = 0;
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            if (m_options.limit != 0) {
                if (m_taken >= m_options.limit) {
                    m_summary.limited = true;
                    return false;
                }
                remaining = m_options.limit - m_taken;
            }
        }
        auto page = m_source.applications(job.job_id, job.since, remaining);
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
        job.final.assign(job.applications.size(), false);
        m_taken += job.applications.size();
        m_observer.job_started(job.job_id, job.posting_id, job.since, job.applications.size());
        for (const Error& error : page->errors) {
            ++m_summary.counts.source_errors;
            m_summary.tally.add_failure(error);
            m_observer.source_error(job.job_id, error);
        }
        if (remaining != 0 && job.applications.size() >= remaining) {
            m_summary.limited = true;
            m_limited = true;
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
    ledger::Ledger* m_ledger; // used by start(), then only inside report() (serialised)
    const Options& m_options;
    Observer& m_observer;
    std::mutex m_mutex; // summary and observer calls; next() and report() run concurrently
    Summary m_summary;
    std::vector<JobRun> m_jobs; // fixed after start(); each job filled by next() before use
    std::size_t m_current = 0;  // next() only
    bool m_listed = false;      // next() only
    bool m_limited = false;     // next() only: the budget ended within the current job
    std::size_t m_taken = 0;    // guarded by m_mutex
};

} // namespace

bool is_final(const send::ItemReport& report) {
    switch (report.status) {
    case send::ItemStatus::sent:
    case send::ItemStatus::found_existing:
    case send::ItemStatus::skipped:
    case send::ItemStatus::review:
        return true;
    case send::ItemStatus::dry_run:
    case send::ItemStatus::in_flight:
        return false;
    case send::ItemStatus::failed:
        return !send::is_retryable(report.error);
    }
    return false;
}

std::string advance_cursor(const std::string& since, const std::vector<Attempt>& attempts) {
    std::string cursor = since;
    for (const Attempt& attempt : attempts) {
        if (!attempt.final) {
            break;
        }
        cursor = attempt.cursor;
    }
    return cursor;
}

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

std::string counts_json(const Counts& counts) {
    JsonWriter json;
    json.begin_object();
    json.key("jobs").value(counts.jobs);
    json.key("applications").value(counts.applications);
    json.key("sent").value(counts.sent);
    json.key("skipped").value(counts.skipped);
    json.key("in_flight").value(counts.in_flight);
    json.key("failed").value(counts.failed);
    json.key("temporary").value(counts.temporary);
    json.key("review").value(counts.review);
    json.key("source_errors").value(counts.source_errors);
    json.key("planned").value(counts.planned);
    json.end_object();
    return json.str();
}

} // namespace pjats::sync
