// run_bulk: a fixed set of worker threads sharing one source, one target and one report
// sink; each worker owns a ledger connection.

#include <pjats/send/bulk.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace pjats::send {

namespace {

// The state the workers share; every member function is thread-safe.
class Shared {
  public:
    Shared(const BulkOptions& options, const WorkSource& source, const ReportSink& report)
        : m_options(options),
          m_source(source),
          m_report(report) {}

    // The next item, or nullopt when the source is exhausted, the run was interrupted or
    // the credentials were refused. Until one item has come back without an
    // authentication failure, items go out one at a time: a wrong key costs one request,
    // not one per worker.
    std::optional<WorkItem> next() {
        std::unique_lock<std::mutex> lock(m_source_mutex);
        m_settled.wait(lock, [this] {
            return m_proven || m_auth_failure || m_handed_out == m_reported;
        });
        if (m_exhausted) {
            return std::nullopt;
        }
        if (m_auth_failure) {
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

    void report(const ItemReport& item) {
        {
            const std::lock_guard<std::mutex> lock(m_source_mutex);
            ++m_reported;
            if (item.status == ItemStatus::failed && item.error.kind == ErrorKind::auth) {
                if (!m_auth_failure) {
                    m_auth_failure = item.error;
                }
            } else {
                m_proven = true;
            }
        }
        m_settled.notify_all();
        const std::lock_guard<std::mutex> lock(m_report_mutex);
        ++m_processed;
        m_report(item);
    }

    BulkSummary summary() {
        const std::lock_guard<std::mutex> source_lock(m_source_mutex);
        const std::lock_guard<std::mutex> report_lock(m_report_mutex);
        return BulkSummary{m_processed, m_interrupted, m_auth_failure};
    }

  private:
    const BulkOptions& m_options;
    const WorkSource& m_source;
    const ReportSink& m_report;
    std::mutex m_source_mutex;
    bool m_exhausted = false;   // guarded by m_source_mutex
    bool m_interrupted = false; // guarded by m_source_mutex
    std::optional<Error> m_auth_failure; // guarded by m_source_mutex
    bool m_proven = false;               // guarded by m_source_mutex
    std::int64_t m_handed_out = 0;       // guarded by m_source_mutex
    std::int64_t m_reported = 0;         // guarded by m_source_mutex
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

ItemReport load_failure_report(LoadFailure failure) {
    ItemReport report;
    report.candidate_id = std::move(failure.candidate_id);
    report.status = ItemStatus::failed;
    report.error = std::move(failure.error);
    return report;
}

void work(Target& target, ledger::Ledger& ledger, const BulkOptions& options, Shared& shared) {
    const SendFlags flags{options.force, false};
    while (std::optional<WorkItem> item = shared.next()) {
        if (auto* failure = std::get_if<LoadFailure>(&*item)) {
            shared.report(load_failure_report(std::move(*failure)));
            continue;
        }
        const auto& candidate = std::get<model::Candidate>(*item);
        shared.report(
            send_one(target, ledger, candidate, options.placement, flags, options.unknown));
    }
}

} // namespace

Result<BulkSummary> run_bulk(Target& target,
                             const BulkOptions& options,
                             const LedgerOpener& open_ledger,
                             const WorkSource& source,
                             const ReportSink& report) {
    const int workers = std::max(1, options.workers);
    std::vector<std::unique_ptr<ledger::Ledger>> ledgers;
    ledgers.reserve(static_cast<std::size_t>(workers));
    for (int i = 0; i < workers; ++i) {
        auto opened = open_ledger();
        if (!opened) {
            return std::move(opened).error();
        }
        ledgers.push_back(std::move(*opened));
    }
    PJATS_TRY(ledgers.front()->adopt_unkeyed(target.name(), target.account()));
    Shared shared(options, source, report);
    {
        Workers threads;
        for (auto& ledger : ledgers) {
            threads.list.emplace_back(
                [&target, &options, &shared, &ledger] { work(target, *ledger, options, shared); });
        }
    } // joins every worker, also when starting one threw
    return shared.summary();
}

} // namespace pjats::send
