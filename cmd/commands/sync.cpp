// `pj-ats sync [--dry-run] [--limit N]`: the cron job. Sends new applications of every
// linked Purpose Jobs job to its Lever posting, under the run lock (docs/sync.md).
#include "commands/commands.hpp"
#include "send_report.hpp"
#include "services.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/core/run_lock.hpp>
#include <pjats/sync/publish.hpp>
#include <pjats/sync/sync.hpp>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <ostream>

namespace pjats::cli {

namespace {

struct SyncOptions {
    bool dry_run = false;
    std::size_t limit = 0;
};

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
        m_ctx.out << "job " << job_id << " -> Lever posting " << posting_id << " (cursor "
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
        m_ctx.err << utc_timestamp() << " pj-ats: error: job " << job_id << ": " << with_hint(error)
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

// Publishes Lever's published postings to a source that accepts jobs; failures are added
// to `summary.tally`.
PublishCounts publish(Context& ctx,
                      const profile::Profile& profile,
                      source::Source& source,
                      ledger::Ledger* ledger,
                      bool dry_run,
                      sync::Summary& summary) {
    PublishCounts counts;
    auto report_failure = [&](const std::string& posting_id, const Error& error) {
        ++counts.failed;
        summary.tally.add_failure(error);
        if (ctx.global.json) {
            JsonWriter json;
            json.begin_object().key("posting_id").value(posting_id);
            json.key("status").value("publish_failed").key("error");
            write_error_json(json, error);
            json.end_object();
            ctx.out << json.str() << '\n';
        } else {
            ctx.err << utc_timestamp() << " pj-ats: error: failed to publish "
                    << (posting_id.empty() ? std::string("postings") : "posting " + posting_id)
                    << ": " << with_hint(error) << '\n';
        }
    };
    auto session = open_lever(ctx, profile);
    if (!session) {
        report_failure("", session.error());
        return counts;
    }
    auto postings = (*session)->client->postings("published");
    if (!postings) {
        report_failure("", postings.error());
        return counts;
    }
    for (const sync::PublishReport& report :
         sync::publish_postings(source, *postings, ledger, dry_run)) {
        switch (report.status) {
        case sync::PublishReport::Status::failed:
            report_failure(report.posting_id, report.error);
            continue;
        case sync::PublishReport::Status::unchanged:
            ++counts.unchanged;
            continue;
        case sync::PublishReport::Status::planned:
            ++counts.planned;
            break;
        case sync::PublishReport::Status::published:
            ++counts.published;
            break;
        case sync::PublishReport::Status::retracted:
            ++counts.retracted;
            break;
        case sync::PublishReport::Status::retract_planned:
            ++counts.planned;
            break; // a closed posting to withdraw from the source (dry run)
        }
        const bool retraction = report.status == sync::PublishReport::Status::retracted
                                || report.status == sync::PublishReport::Status::retract_planned;
        if (ctx.global.json) {
            JsonWriter json;
            json.begin_object().key("posting_id").value(report.posting_id);
            json.key("status").value(sync::to_string(report.status)).end_object();
            ctx.out << json.str() << '\n';
        } else if (retraction) {
            ctx.out << utc_timestamp() << ' ' << (dry_run ? "would retract" : "retracted")
                    << " Lever posting "
                    << report.posting_id << " (no longer published) from " << source.describe()
                    << '\n';
        } else {
            ctx.out << utc_timestamp() << ' ' << (dry_run ? "would publish" : "published")
                    << " Lever posting "
                    << report.posting_id << " to " << source.describe() << '\n';
        }
    }
    return counts;
}

void print_summary(Context& ctx,
                   const sync::Summary& summary,
                   const PublishCounts& published,
                   bool dry_run) {
    const sync::Counts& c = summary.counts;
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_object().key("summary").begin_object();
        json.key("counts").raw(sync::counts_json(c));
        json.key("postings").begin_object();
        json.key("published").value(published.published);
        json.key("unchanged").value(published.unchanged);
        json.key("planned").value(published.planned);
        json.key("failed").value(published.failed);
        json.key("retracted").value(published.retracted);
        json.end_object();
        json.key("dry_run").value(dry_run);
        json.key("interrupted").value(summary.interrupted);
        json.key("limited").value(summary.limited);
        json.end_object().end_object();
        ctx.out << json.str() << '\n';
        return;
    }
    if (ctx.global.quiet) {
        return;
    }
    if (dry_run) {
        ctx.err << "dry run: " << c.planned << " application(s) would be sent to Lever over "
                << c.jobs << " job(s); nothing was sent\n";
        return;
    }
    ctx.err << utc_timestamp() << " sync: " << c.sent << " sent, " << c.skipped
            << " already sent, " << c.in_flight << " in flight in another run, " << c.failed
            << " failed, " << c.temporary << " to retry, " << c.review << " for review, "
            << c.source_errors << " unreadable, over " << c.jobs << " job(s)"
            << (summary.limited ? " (stopped at --limit)" : "")
            << (summary.interrupted ? " (interrupted; re-run to continue)" : "") << '\n';
    if (published.published + published.failed + published.retracted > 0) {
        ctx.err << utc_timestamp() << " postings: " << published.published << " published, "
                << published.retracted << " retracted, " << published.failed << " failed\n";
    }
}

// Requests in flight at once: enough for Lever's 10 req/s at latencies up to ~3 s.
constexpr int k_sync_workers = 32;

// A dry run reads the ledger when there is one and never creates it.
ledger::LedgerOpener ledger_for(Context& ctx, bool found) {
    return [&ctx, found]() -> Result<std::unique_ptr<ledger::Ledger>> {
        if (!found) {
            return std::unique_ptr<ledger::Ledger>();
        }
        return ctx.open_ledger();
    };
}

int run_sync(const SyncOptions& opts, Context& ctx) {
    auto config = ctx.load_config();
    if (!config) {
        return ctx.fail(config.error());
    }
    auto profile = ctx.active_profile();
    if (!profile) {
        return ctx.fail(profile.error());
    }
    if (profile->links.empty()) {
        ctx.note("no linked jobs: nothing to sync (link one with `pj-ats link-job PJ_JOB_ID "
                 "LEVER_POSTING_ID`)");
        if (ctx.global.json) {
            print_summary(ctx, sync::Summary{}, PublishCounts{}, opts.dry_run);
        }
        return 0;
    }
    const std::string profile_name = ctx.profile_name(*config);
    std::optional<core::RunLock> lock;
    if (!opts.dry_run) {
        auto acquired = core::RunLock::acquire(core::sync_lock_path(profile_name));
        if (!acquired) {
            if (acquired.error().kind != ErrorKind::conflict) {
                return ctx.fail(acquired.error());
            }
            // Not a failure: the running sync does the work (exit 8 says "skipped").
            if (!ctx.global.quiet) {
                ctx.err << utc_timestamp() << " pj-ats: skipped: " << acquired.error().message
                        << '\n';
            }
            return to_int(ExitCode::locked);
        }
        lock.emplace(std::move(*acquired));
    }
    // Lever's one pacer holds the run to its limit (app::pace_for).
    ctx.use_concurrent_transport(k_sync_workers, 0, 1);
    auto source = open_source(ctx, *profile);
    if (!source) {
        return ctx.fail(source.error());
    }
    auto target = make_target(ctx, *profile, "lever", opts.dry_run);
    if (!target) {
        return ctx.fail(target.error());
    }
    // The connection that holds a shared (PostgreSQL) ledger's sync lock for the whole run
    // (one sync per Lever account across every machine) and publishes postings.
    std::unique_ptr<ledger::Ledger> held;
    auto ledger_found = opts.dry_run ? ctx.ledger_exists() : Result<bool>(true);
    PJATS_TRY_EXIT(ctx, ledger_found);
    if (*ledger_found) {
        auto opened = ctx.open_ledger();
        if (!opened) {
            return ctx.fail(opened.error());
        }
        held = std::move(*opened);
        auto locked = opts.dry_run ? Result<bool>(true)
                                   : held->try_sync_lock((*target)->target().account());
        PJATS_TRY_EXIT(ctx, locked);
        if (!*locked) {
            if (!ctx.global.quiet) {
                ctx.err << utc_timestamp()
                        << " pj-ats: skipped: another pj-ats sync is running for this account "
                           "(ledger-wide lock in the shared ledger)\n";
            }
            return to_int(ExitCode::locked);
        }
    }
    const InterruptScope interrupt;
    sync::Options options;
    options.limit = opts.limit;
    options.dry_run = opts.dry_run;
    options.workers = k_sync_workers;
    options.stop = &interrupt.flag();
    options.unknown = ctx.unknown_outcome_policy();
    SyncPrinter printer(ctx, opts.dry_run);
    const ledger::LedgerOpener ledger = ledger_for(ctx, *ledger_found);
    sync::Summary summary = sync::run(**source, (*target)->target(), ledger, profile->links,
                                      options, printer);
    PublishCounts published;
    if (!summary.fatal && !summary.interrupted && (*source)->accepts_jobs()) {
        published = publish(ctx, *profile, **source, held.get(), opts.dry_run, summary);
    }
    print_summary(ctx, summary, published, opts.dry_run);
    if (summary.fatal) {
        return ctx.fail(*summary.fatal);
    }
    return summary.tally.exit_code();
}

} // namespace

void add_sync(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<SyncOptions>();
    CLI::App* sub = app.add_subcommand(
        "sync", "Send new applications of linked jobs to their Lever postings (the cron job)");
    sub->add_flag("--dry-run", opts->dry_run, "Print the plan; send nothing, write nothing");
    sub->add_option("--limit", opts->limit, "Process at most N applications in this run")
        ->check(CLI::NonNegativeNumber);
    sub->callback([opts, &ctx] { ctx.exit_code = run_sync(*opts, ctx); });
}

} // namespace pjats::cli
