// `pj-ats sync [--dry-run] [--limit N] [--retry-failed]`: the cron job. Sends new, late and
// fixed applications of every linked Purpose Jobs job to its Lever posting, under the run
// lock (docs/sync.md).
#include "commands/commands.hpp"
#include "metrics.hpp"
#include "services.hpp"
#include "sync_report.hpp"

#include <pjats/core/run_lock.hpp>
#include <pjats/sync/sync.hpp>

#include <ostream>

namespace pjats::cli {

namespace {

struct SyncOptions {
    bool dry_run = false;
    bool retry_failed = false;
    std::size_t limit = 0;
    std::string metrics_file;
};

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

int run_sync(const SyncOptions& opts, Context& ctx, RunMetrics& metrics) {
    if (opts.dry_run) {
        metrics.skip();
    }
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
                ctx.err << log_stamp() << "pj-ats: skipped: " << acquired.error().message
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
                ctx.err << log_stamp()
                        << "pj-ats: skipped: another pj-ats sync is running for this account "
                           "(ledger-wide lock in the shared ledger)\n";
            }
            return to_int(ExitCode::locked);
        }
    }
    const InterruptScope interrupt;
    sync::Options options;
    options.limit = opts.limit;
    options.dry_run = opts.dry_run;
    options.retry_failed = opts.retry_failed;
    // A dry run sends nothing: one worker lists the applications in the order a run takes
    // them (by cursor), not in the order concurrent workers happen to finish.
    options.workers = opts.dry_run ? 1 : k_sync_workers;
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
    if (!summary.fatal && !summary.interrupted) {
        warn_closed_postings(ctx, *profile);
    }
    print_summary(ctx, summary, published, opts.dry_run);
    metrics.set_counts(summary.tally.counts());
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
    sub->add_option("--limit", opts->limit, "Attempt at most N applications in this run")
        ->check(CLI::NonNegativeNumber);
    sub->add_flag("--retry-failed",
                  opts->retry_failed,
                  "Send rejected applications again, even when their record is unchanged");
    add_metrics_option(*sub, opts->metrics_file);
    sub->callback([opts, &ctx] {
        RunMetrics metrics(ctx, "sync", opts->metrics_file);
        ctx.exit_code = metrics.finish(run_sync(*opts, ctx, metrics));
    });
}

} // namespace pjats::cli
