#pragma once

// Rendering of `pj-ats sync`: per-application lines (the item shape of `send`), postings
// published or retracted, and the run's summary, in text or --json.

#include "context.hpp"
#include "send_report.hpp"

#include <pjats/ledger/ledger.hpp>
#include <pjats/profile/profile.hpp>
#include <pjats/source/source.hpp>
#include <pjats/sync/sync.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace pjats::cli {

// Renders a sync run: per job (dry run) a plan line, per application the one item report
// shape of `send` (SendReporter, with the job and application), timestamped text lines.
class SyncPrinter final : public sync::Observer {
  public:
    SyncPrinter(Context& ctx, bool dry_run)
        : m_ctx(ctx),
          m_dry_run(dry_run),
          m_reporter(ctx, "lever") {
        m_reporter.enable_timestamps();
    }

    void job_started(const std::string& job_id,
                     const std::string& posting_id,
                     const std::string& cursor,
                     std::size_t applications) override {
        m_postings[job_id] = posting_id;
        if (!m_dry_run) {
            return;
        }
        const std::lock_guard<std::mutex> lock(m_ctx.output_mutex());
        if (m_ctx.global.json) {
            JsonWriter json;
            json.begin_object().key("job_id").value(job_id).key("posting_id").value(posting_id);
            json.key("cursor").value(cursor);
            json.key("applications").value(static_cast<std::int64_t>(applications));
            json.end_object();
            m_ctx.out << json.str() << '\n';
            return;
        }
        m_ctx.out << log_stamp() << "job " << job_id << " -> Lever posting " << posting_id
                  << " (cursor "
                  << (cursor.empty() ? "start" : cursor) << "): " << applications
                  << " new application" << (applications == 1 ? "" : "s") << '\n';
    }

    void item(const std::string& job_id,
              const model::Application& application,
              const send::ItemReport& report) override {
        const ItemContext context{job_id, m_postings[job_id], application.id, application.cursor,
                                  sync::is_final(report)};
        m_reporter.add(report, &context);
    }

    void source_error(const std::string& job_id, const Error& error) override {
        const std::lock_guard<std::mutex> lock(m_ctx.output_mutex());
        if (m_ctx.global.json) {
            JsonWriter json;
            json.begin_object().key("job_id").value(job_id).key("status").value("source_error");
            json.key("error");
            write_error_json(json, error);
            json.end_object();
            m_ctx.out << json.str() << '\n';
            return;
        }
        m_ctx.err << log_stamp() << "pj-ats: error: job " << job_id << ": " << m_ctx.explain(error)
                  << '\n';
    }

  private:
    Context& m_ctx;
    bool m_dry_run;
    SendReporter m_reporter;
    std::map<std::string, std::string> m_postings;
};

struct PublishCounts {
    std::int64_t published = 0;
    std::int64_t unchanged = 0;
    std::int64_t planned = 0;
    std::int64_t failed = 0;
    std::int64_t retracted = 0;
};

// Publishes Lever's published postings to a source that accepts jobs (and retracts the ones
// no longer published), printing each; failures are added to `summary.tally`.
PublishCounts publish(Context& ctx, const profile::Profile& profile, source::Source& source,
                      ledger::Ledger* ledger, bool dry_run, sync::Summary& summary);

// A warning per linked Lever posting that is no longer open (closed, draft, deleted): its
// job's applications cannot go anywhere useful until it is linked again.
void warn_closed_postings(Context& ctx, const profile::Profile& profile);

// The last line: counts (text on stderr unless --quiet, or the --json summary object).
void print_summary(Context& ctx, const sync::Summary& summary, const PublishCounts& published,
                   bool dry_run);

} // namespace pjats::cli
