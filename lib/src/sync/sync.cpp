// The sync engine: linked Purpose Jobs jobs -> Lever postings, resumable through the
// ledger's per-job cursors (docs/sync.md).

#include <pjats/core/json_writer.hpp>
#include <pjats/model/record.hpp>
#include <pjats/sync/sync.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>

namespace pjats::sync {

namespace {

constexpr const char* k_origin_applied = "applied";

bool stop_requested(const Options& options) {
    return options.stop != nullptr && options.stop->load();
}

// Failures that retrying cannot cure and that are not about our own setup.
bool is_permanent(const Error& error) {
    return !error.outcome_unknown
           && (error.kind == ErrorKind::validation || error.kind == ErrorKind::not_found);
}

// Failures that make every further send pointless: stop the run.
bool is_fatal(const Error& error) {
    return error.kind == ErrorKind::auth || error.kind == ErrorKind::config
           || error.kind == ErrorKind::usage || error.kind == ErrorKind::conflict;
}

std::string iso_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

send::ItemReport failed_report(const std::string& candidate_id, Error error) {
    send::ItemReport report;
    report.candidate_id = candidate_id;
    report.status = send::ItemStatus::failed;
    report.error = std::move(error);
    return report;
}

class Run {
  public:
    Run(source::Source& source,
        send::Target& target,
        ledger::Ledger* ledger,
        const Options& options,
        Observer& observer)
        : m_source(source),
          m_target(target),
          m_ledger(ledger),
          m_options(options),
          m_observer(observer) {}

    // Processes one linked job; false when the run must stop (fatal, interrupted, limit).
    bool job(const std::string& job_id, const std::string& posting_id) {
        std::string since;
        if (m_ledger != nullptr) {
            auto cursor = m_ledger->cursor(cursor_key(job_id));
            if (cursor && cursor->empty()) {
                cursor = m_ledger->cursor(job_id); // written before cursors had accounts
            }
            if (!cursor) {
                m_summary.fatal = cursor.error();
                return false;
            }
            since = *cursor;
        }
        const std::size_t remaining = remaining_budget();
        auto page = m_source.applications(job_id, since, remaining);
        if (!page) {
            Error error = std::move(page).error();
            if (is_fatal(error)) {
                m_summary.fatal = std::move(error);
                return false;
            }
            // This job's listing failed (e.g. the source is down): report, go on.
            ++m_summary.counts.source_errors;
            m_summary.failure_kinds.push_back(error.kind);
            m_observer.source_error(job_id, error);
            return true;
        }
        ++m_summary.counts.jobs;
        m_observer.job_started(job_id, posting_id, since, page->applications.size());
        for (const Error& error : page->errors) {
            ++m_summary.counts.source_errors;
            m_summary.failure_kinds.push_back(error.kind);
            m_observer.source_error(job_id, error);
        }
        if (remaining != 0 && page->applications.size() >= remaining) {
            m_summary.limited = true;
        }
        send::Placement placement;
        placement.lever_posting = posting_id;
        placement.lever_origin = k_origin_applied;
        bool holding = false; // a non-final send seen: the cursor stays where it is
        for (const model::Application& application : page->applications) {
            if (stop_requested(m_options)) {
                m_summary.interrupted = true;
                return false;
            }
            ++m_summary.counts.applications;
            send::ItemReport report = send_application(application, placement);
            m_observer.item(job_id, application, report);
            count(report);
            if (report.status == send::ItemStatus::failed && is_fatal(report.error)) {
                m_summary.fatal = report.error;
                return false;
            }
            if (m_options.dry_run || holding) {
                continue;
            }
            if (!is_final(report)) {
                holding = true;
                continue;
            }
            if (auto moved = m_ledger->set_cursor(cursor_key(job_id), application.cursor);
                !moved) {
                m_summary.fatal = moved.error();
                return false;
            }
        }
        return !m_summary.limited;
    }

    Summary finish() {
        if (!m_options.dry_run && m_ledger != nullptr) {
            (void)m_ledger->set_meta("last_sync", iso_now());
            (void)m_ledger->set_meta("last_sync_counts", counts_json(m_summary.counts));
        }
        return std::move(m_summary);
    }

    bool interrupted() {
        if (stop_requested(m_options)) {
            m_summary.interrupted = true;
        }
        return m_summary.interrupted;
    }

  private:
    // Cursors belong to the account the applications went to: another account starts
    // from the beginning.
    std::string cursor_key(const std::string& job_id) const {
        const std::string account = m_target.account();
        return account.empty() ? job_id : account + "|" + job_id;
    }

    std::size_t remaining_budget() const {
        if (m_options.limit == 0) {
            return 0;
        }
        const auto used = static_cast<std::size_t>(m_summary.counts.applications);
        return used >= m_options.limit ? 0 : m_options.limit - used;
    }

    send::ItemReport send_application(const model::Application& application,
                                      const send::Placement& placement) {
        const model::Candidate& candidate = application.candidate;
        if (auto valid = model::validate_for_send(candidate); !valid) {
            Error error = valid.error();
            if (error.kind != ErrorKind::validation) {
                error.kind = ErrorKind::validation;
            }
            if (!m_options.dry_run && !candidate.id.empty()) {
                const ledger::Key key{candidate.id, m_target.name(),
                                      m_target.destination(placement), m_target.account()};
                (void)m_ledger->mark_failed(key, error.message, false);
            }
            return failed_report(candidate.id, std::move(error));
        }
        if (m_options.dry_run) {
            auto request = m_target.describe_request(candidate, placement);
            if (!request) {
                return failed_report(candidate.id, std::move(request).error());
            }
            send::ItemReport report;
            report.candidate_id = candidate.id;
            report.status = send::ItemStatus::dry_run;
            report.request = std::move(*request);
            return report;
        }
        return send::send_one(
            m_target, *m_ledger, candidate, placement, send::SendFlags{}, m_options.unknown);
    }

    void count(const send::ItemReport& report) {
        Counts& counts = m_summary.counts;
        switch (report.status) {
        case send::ItemStatus::sent:
        case send::ItemStatus::found_existing:
            ++counts.sent;
            return;
        case send::ItemStatus::skipped:
        case send::ItemStatus::in_flight: // another run sends it; not final for the cursor
            ++counts.skipped;
            return;
        case send::ItemStatus::dry_run:
            ++counts.planned;
            return;
        case send::ItemStatus::review:
            ++counts.review;
            m_summary.failure_kinds.push_back(report.error.kind);
            return;
        case send::ItemStatus::failed:
            if (is_permanent(report.error)) {
                ++counts.failed;
            } else {
                ++counts.temporary;
            }
            m_summary.failure_kinds.push_back(report.error.kind);
            return;
        }
    }

    source::Source& m_source;
    send::Target& m_target;
    ledger::Ledger* m_ledger;
    const Options& m_options;
    Observer& m_observer;
    Summary m_summary;
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
        return is_permanent(report.error);
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
            ledger::Ledger* ledger,
            const std::map<std::string, std::string>& links,
            const Options& options,
            Observer& observer) {
    if (!options.dry_run && ledger == nullptr) {
        Summary summary;
        summary.fatal = make_error(ErrorKind::usage, "sync needs a ledger unless it is a dry run");
        return summary;
    }
    if (!options.dry_run) {
        if (auto adopted = ledger->adopt_unkeyed(target.name(), target.account()); !adopted) {
            Summary summary;
            summary.fatal = std::move(adopted).error();
            return summary;
        }
    }
    Run pass(source, target, ledger, options, observer);
    for (const auto& [job_id, posting_id] : links) {
        if (pass.interrupted() || !pass.job(job_id, posting_id)) {
            break;
        }
    }
    return pass.finish();
}

std::string counts_json(const Counts& counts) {
    JsonWriter json;
    json.begin_object();
    json.key("jobs").value(counts.jobs);
    json.key("applications").value(counts.applications);
    json.key("sent").value(counts.sent);
    json.key("skipped").value(counts.skipped);
    json.key("failed").value(counts.failed);
    json.key("temporary").value(counts.temporary);
    json.key("review").value(counts.review);
    json.key("source_errors").value(counts.source_errors);
    json.key("planned").value(counts.planned);
    json.end_object();
    return json.str();
}

} // namespace pjats::sync
