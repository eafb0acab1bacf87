// `pj-ats sync [--dry-run] [--limit N]`: the cron job. Sends new applications of every
// linked Purpose Jobs job to its Lever posting, under the run lock (docs/sync.md).
#include "commands/commands.hpp"
#include "services.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/core/run_lock.hpp>
#include <pjats/sync/publish.hpp>
#include <pjats/sync/sync.hpp>

#include <atomic>
#include <filesystem>
#include <ostream>

namespace pjats::cli {

namespace {

struct SyncOptions {
    bool dry_run = false;
    std::size_t limit = 0;
};

class SyncPrinter final : public sync::Observer {
  public:
    SyncPrinter(Context& ctx, bool dry_run)
        : m_ctx(ctx),
          m_dry_run(dry_run) {}

    void job_started(const std::string& job_id,
                     const std::string& posting_id,
                     const std::string& cursor,
                     std::size_t applications) override {
        m_posting = posting_id;
        if (m_ctx.global.json) {
            if (m_dry_run) {
                JsonWriter json;
                json.begin_object().key("job_id").value(job_id).key("posting_id").value(posting_id);
                json.key("cursor").value(cursor);
                json.key("applications").value(static_cast<std::int64_t>(applications));
                json.end_object();
                m_ctx.out << json.str() << '\n';
            }
            return;
        }
        if (m_dry_run) {
            m_ctx.out << "job " << job_id << " -> Lever posting " << posting_id << " (cursor "
                      << (cursor.empty() ? "start" : cursor) << "): " << applications
                      << " new application" << (applications == 1 ? "" : "s") << '\n';
        }
    }

    void item(const std::string& job_id,
              const model::Application& application,
              const send::ItemReport& report) override {
        if (m_ctx.global.json) {
            JsonWriter json;
            json.begin_object();
            json.key("job_id").value(job_id).key("posting_id").value(m_posting);
            json.key("application_id").value(application.id);
            json.key("cursor").value(application.cursor);
            json.key("candidate_id").value(report.candidate_id);
            json.key("status").value(send::to_string(report.status));
            if (!report.outcome.remote_id.empty()) {
                json.key("remote_id").value(report.outcome.remote_id);
            }
            if (report.status == send::ItemStatus::dry_run) {
                json.key("request").value(report.request);
            }
            if (report.status == send::ItemStatus::failed
                || report.status == send::ItemStatus::review) {
                json.key("error").value(report.error.message);
                json.key("error_kind").value(to_string(report.error.kind));
                json.key("final").value(sync::is_final(report));
            }
            json.end_object();
            m_ctx.out << json.str() << '\n';
            return;
        }
        const std::string where = " (job " + job_id + ", application " + application.id + ")";
        switch (report.status) {
        case send::ItemStatus::sent:
        case send::ItemStatus::found_existing:
            m_ctx.out << (report.status == send::ItemStatus::sent ? "sent " : "found ")
                      << report.candidate_id << " -> lever opportunity " << report.outcome.remote_id
                      << " on posting " << m_posting << where << '\n';
            return;
        case send::ItemStatus::skipped:
            m_ctx.out << "skipped " << report.candidate_id << ": already sent as "
                      << report.outcome.remote_id << where << '\n';
            return;
        case send::ItemStatus::dry_run:
            m_ctx.out << "  would send " << report.candidate_id << where << '\n';
            if (m_ctx.global.verbose > 0) {
                m_ctx.out << report.request << '\n';
            }
            return;
        case send::ItemStatus::in_flight:
            m_ctx.out << "in flight " << report.candidate_id << where << ": "
                      << report.error.message << " (looked at again next run)\n";
            return;
        case send::ItemStatus::review:
        case send::ItemStatus::failed:
            m_ctx.err << (report.status == send::ItemStatus::review ? "review " : "failed ")
                      << report.candidate_id << where << ": " << report.error.message
                      << (sync::is_final(report) ? "" : " (will be retried)") << '\n';
            return;
        }
    }

    void source_error(const std::string& job_id, const Error& error) override {
        if (m_ctx.global.json) {
            JsonWriter json;
            json.begin_object().key("job_id").value(job_id).key("status").value("source_error");
            json.key("error").value(error.message).key("error_kind").value(to_string(error.kind));
            json.end_object();
            m_ctx.out << json.str() << '\n';
            return;
        }
        m_ctx.err << "failed (job " << job_id << "): " << error.message << '\n';
    }

  private:
    Context& m_ctx;
    bool m_dry_run;
    std::string m_posting;
};

// 0 ok, 130 interrupted, 3 some sent and some failed, 7 only temporary failures,
// otherwise the failures' common code (1 when they differ).
int exit_code_of(const sync::Summary& summary) {
    if (summary.interrupted) {
        return to_int(ExitCode::interrupted);
    }
    if (summary.failure_kinds.empty()) {
        return to_int(ExitCode::ok);
    }
    if (summary.counts.sent > 0) {
        return to_int(ExitCode::partial);
    }
    int code = -1;
    for (ErrorKind kind : summary.failure_kinds) {
        Error error;
        error.kind = kind;
        const int this_code = to_int(exit_code_for(error));
        code = (code == -1 || code == this_code) ? this_code : to_int(ExitCode::failure);
    }
    return code;
}

struct PublishCounts {
    std::int64_t published = 0;
    std::int64_t unchanged = 0;
    std::int64_t planned = 0;
    std::int64_t failed = 0;
};

// Publishes Lever's published postings to a source that accepts jobs; failures are added
// to `summary.failure_kinds`.
PublishCounts publish(Context& ctx,
                      const profile::Profile& profile,
                      source::Source& source,
                      ledger::Ledger* ledger,
                      bool dry_run,
                      sync::Summary& summary) {
    PublishCounts counts;
    auto report_failure = [&](const std::string& posting_id, const Error& error) {
        ++counts.failed;
        summary.failure_kinds.push_back(error.kind);
        if (ctx.global.json) {
            JsonWriter json;
            json.begin_object().key("posting_id").value(posting_id);
            json.key("status").value("publish_failed").key("error").value(error.message);
            json.key("error_kind").value(to_string(error.kind)).end_object();
            ctx.out << json.str() << '\n';
        } else {
            ctx.err << "failed to publish "
                    << (posting_id.empty() ? std::string("postings") : "posting " + posting_id)
                    << ": " << error.message << '\n';
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
        }
        if (ctx.global.json) {
            JsonWriter json;
            json.begin_object().key("posting_id").value(report.posting_id);
            json.key("status").value(sync::to_string(report.status)).end_object();
            ctx.out << json.str() << '\n';
        } else {
            ctx.out << (dry_run ? "would publish" : "published") << " Lever posting "
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
    ctx.err << "sync: " << c.sent << " sent, " << c.skipped << " already sent, " << c.failed
            << " failed, " << c.temporary << " to retry, " << c.review << " for review, "
            << c.source_errors << " unreadable, over " << c.jobs << " job(s)"
            << (summary.limited ? " (stopped at --limit)" : "")
            << (summary.interrupted ? " (interrupted; re-run to continue)" : "") << '\n';
    if (published.published + published.failed > 0) {
        ctx.err << "postings: " << published.published << " published, " << published.failed
                << " failed\n";
    }
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
            return ctx.fail(acquired.error());
        }
        lock.emplace(std::move(*acquired));
    }
    auto source = open_source(ctx, *profile);
    if (!source) {
        return ctx.fail(source.error());
    }
    auto target = make_target(ctx, *profile, "lever");
    if (!target) {
        return ctx.fail(target.error());
    }
    std::unique_ptr<ledger::Ledger> ledger;
    auto ledger_found = opts.dry_run ? ctx.ledger_exists() : Result<bool>(true);
    PJATS_TRY_EXIT(ctx, ledger_found);
    if (*ledger_found) {
        auto opened = ctx.open_ledger();
        if (!opened) {
            return ctx.fail(opened.error());
        }
        ledger = std::move(*opened);
        // A shared (PostgreSQL) ledger: one sync per Lever account across every machine.
        auto locked = opts.dry_run ? Result<bool>(true)
                                   : ledger->try_sync_lock((*target)->target().account());
        PJATS_TRY_EXIT(ctx, locked);
        if (!*locked) {
            return ctx.fail(make_error(ErrorKind::conflict,
                                       "another pj-ats sync is running for this account "
                                       "(ledger-wide lock in the shared ledger)"));
        }
    }
    const InterruptScope interrupt;
    sync::Options options;
    options.limit = opts.limit;
    options.dry_run = opts.dry_run;
    options.stop = &interrupt.flag();
    options.unknown = ctx.unknown_outcome_policy();
    SyncPrinter printer(ctx, opts.dry_run);
    sync::Summary summary =
        sync::run(**source, (*target)->target(), ledger.get(), profile->links, options, printer);
    PublishCounts published;
    if (!summary.fatal && !summary.interrupted && (*source)->accepts_jobs()) {
        published = publish(ctx, *profile, **source, ledger.get(), opts.dry_run, summary);
    }
    print_summary(ctx, summary, published, opts.dry_run);
    if (summary.fatal) {
        return ctx.fail(*summary.fatal);
    }
    return exit_code_of(summary);
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
