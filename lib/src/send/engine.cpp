// send::run: a fixed set of worker threads sharing one source, one target and one report
// sink; each worker owns a ledger connection. send::process: what one item comes to.

#include <pjats/model/record.hpp>
#include <pjats/send/engine.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace pjats::send {

namespace {

ItemReport failed_report(std::string candidate_id, Error error) {
    ItemReport report;
    report.candidate_id = std::move(candidate_id);
    report.status = ItemStatus::failed;
    report.error = std::move(error);
    return report;
}

// Failures after which every further send would fail the same way.
bool stops_the_run(const ItemReport& report) {
    return report.status == ItemStatus::failed
           && (report.error.kind == ErrorKind::auth || report.error.kind == ErrorKind::config);
}

// The state the workers share; every member function is thread-safe.
class Shared {
  public:
    Shared(const RunOptions& options, const WorkSource& source, const ReportSink& report)
        : m_options(options),
          m_source(source),
          m_report(report) {}

    // The next item, or nullopt when the source is exhausted, the run was interrupted or
    // stopped. Until one item has come back without an authentication failure, items go
    // out one at a time.
    std::optional<WorkItem> next() {
        std::unique_lock<std::mutex> lock(m_source_mutex);
        m_settled.wait(lock, [this] {
            return m_proven || m_stopped_by || m_handed_out == m_reported;
        });
        if (m_exhausted) {
            return std::nullopt;
        }
        if (m_stopped_by) {
            m_exhausted = true;
            return std::nullopt;
        }
        if (m_options.interrupted != nullptr && m_options.interrupted->load()) {
            m_interrupted = true;
            m_exhausted = true;
            return std::nullopt;
        }
        std::optional<WorkItem> item = m_source();
        if (!item) {
            m_exhausted = true;
        } else {
            ++m_handed_out;
        }
        return item;
    }

    void report(const WorkItem& item, const ItemReport& report) {
        {
            const std::lock_guard<std::mutex> lock(m_source_mutex);
            ++m_reported;
            if (stops_the_run(report)) {
                if (!m_stopped_by) {
                    m_stopped_by = report.error;
                }
            } else if (!(report.status == ItemStatus::failed
                         && report.error.kind == ErrorKind::auth)) {
                m_proven = true;
            }
        }
        m_settled.notify_all();
        const std::lock_guard<std::mutex> lock(m_report_mutex);
        ++m_processed;
        m_report(item, report);
    }

    RunSummary summary() {
        const std::lock_guard<std::mutex> source_lock(m_source_mutex);
        const std::lock_guard<std::mutex> report_lock(m_report_mutex);
        return RunSummary{m_processed, m_interrupted, m_stopped_by};
    }

  private:
    const RunOptions& m_options;
    const WorkSource& m_source;
    const ReportSink& m_report;
    std::mutex m_source_mutex;
    bool m_exhausted = false;   // guarded by m_source_mutex
    bool m_interrupted = false; // guarded by m_source_mutex
    std::optional<Error> m_stopped_by; // guarded by m_source_mutex
    bool m_proven = false;             // guarded by m_source_mutex
    std::int64_t m_handed_out = 0;     // guarded by m_source_mutex
    std::int64_t m_reported = 0;       // guarded by m_source_mutex
    std::condition_variable m_settled;
    std::mutex m_report_mutex;
    std::int64_t m_processed = 0; // guarded by m_report_mutex
};

// Joins its threads on destruction.
struct Workers {
    std::vector<std::thread> list;

    Workers() = default;
    Workers(const Workers&) = delete;
    Workers& operator=(const Workers&) = delete;

    ~Workers() {
        for (std::thread& thread : list) {
            if (thread.joinable()) {
                thread.join();
            }
        }
    }
};

void work(Target& target, ledger::Ledger* ledger, const RunOptions& options, Shared& shared) {
    while (std::optional<WorkItem> item = shared.next()) {
        shared.report(*item, process(target, ledger, *item, options));
    }
}

} // namespace

ItemReport process(Target& target, ledger::Ledger* ledger, const WorkItem& item,
                   const RunOptions& options) {
    if (const auto* failure = std::get_if<LoadFailure>(&item.what)) {
        return failed_report(failure->candidate_id, failure->error);
    }
    const auto& candidate = std::get<model::Candidate>(item.what);
    if (auto valid = model::validate_for_send(candidate); !valid) {
        Error error = std::move(valid).error();
        if (options.record_invalid && !options.dry_run && ledger != nullptr
            && !candidate.id.empty()) {
            const ledger::Key key{candidate.id, target.name(), target.destination(item.placement),
                                  target.account()};
            (void)ledger->mark_failed(key, error.message, false);
        }
        return failed_report(candidate.id, std::move(error));
    }
    if (options.dry_run) {
        return dry_run_one(target, ledger, candidate, item.placement, options.force);
    }
    if (ledger == nullptr) {
        return failed_report(candidate.id,
                             make_error(ErrorKind::failure, "a send needs the ledger"));
    }
    return send_one(target, *ledger, candidate, item.placement,
                    SendFlags{options.force, false}, options.unknown);
}

Result<RunSummary> run(Target& target,
                       const RunOptions& options,
                       const LedgerOpener& open_ledger,
                       const WorkSource& source,
                       const ReportSink& report) {
    const int workers = std::max(1, options.workers);
    std::vector<std::unique_ptr<ledger::Ledger>> ledgers;
    ledgers.reserve(static_cast<std::size_t>(workers));
    for (int i = 0; i < workers; ++i) {
        std::unique_ptr<ledger::Ledger> ledger;
        if (open_ledger) {
            auto opened = open_ledger();
            if (!opened) {
                return std::move(opened).error();
            }
            ledger = std::move(*opened);
        }
        if (!ledger && !options.dry_run) {
            return make_error(ErrorKind::failure, "a send needs the ledger");
        }
        ledgers.push_back(std::move(ledger));
    }
    if (!options.dry_run) {
        PJATS_TRY(ledgers.front()->adopt_unkeyed(target.name(), target.account()));
    }
    Shared shared(options, source, report);
    if (workers == 1) {
        work(target, ledgers.front().get(), options, shared); // a run of one: no thread
        return shared.summary();
    }
    {
        Workers threads;
        for (auto& ledger : ledgers) {
            threads.list.emplace_back([&target, &options, &shared, &ledger] {
                work(target, ledger.get(), options, shared);
            });
        }
    } // joins every worker, also when starting one threw
    return shared.summary();
}

} // namespace pjats::send
