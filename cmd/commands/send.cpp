// `pj-ats send ID... --to greenhouse|lever`: sends candidates, idempotently via the ledger.
#include "commands/commands.hpp"
#include "metrics.hpp"
#include "send_items.hpp"
#include "send_options.hpp"
#include "send_report.hpp"
#include "services.hpp"

#include <pjats/lever/client.hpp>
#include <pjats/lever/posting_check.hpp>
#include <pjats/model/record.hpp>
#include <pjats/send/engine.hpp>
#include <pjats/send/sender.hpp>
#include <pjats/source/id_list.hpp>
#include <pjats/source/source.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>

namespace pjats::cli {

namespace {

// Requests in flight at once in a bulk send: enough for Lever's 10 req/s at latencies up
// to ~3 s, and the connection pool size.
constexpr int k_bulk_workers = 32;

// Whether the ids are sent concurrently: more than one candidate may come.
bool is_bulk(const SendOptions& opts) {
    return !opts.dry_run && opts.file.empty() && (opts.ids.size() > 1 || !opts.ids_from.empty());
}

int run_send(const SendOptions& opts, Context& ctx, RunMetrics& metrics) {
    if (opts.dry_run) {
        metrics.skip();
    }
    if (opts.to != "greenhouse" && opts.to != "lever") {
        return ctx.fail(make_error(ErrorKind::usage, "--to must be greenhouse or lever"));
    }
    if (opts.file.empty() && opts.ids.empty() && opts.ids_from.empty()) {
        return ctx.fail(make_error(ErrorKind::usage,
                                   "give candidate ids, --ids-from FILE, or --file RECORD.json"));
    }
    if (!opts.file.empty() && (!opts.ids.empty() || !opts.ids_from.empty())) {
        return ctx.fail(make_error(ErrorKind::usage, "--file sends one record; do not add ids"));
    }
    auto placement = placement_for(opts);
    if (!placement) {
        return ctx.fail(placement.error());
    }
    if (opts.rate < 0) {
        return ctx.fail(make_error(ErrorKind::usage, "--rate must be 0 (unlimited) or more"));
    }
    if (opts.burst != 0 && (opts.rate <= 0 || opts.to != "greenhouse")) {
        return ctx.fail(make_error(ErrorKind::usage,
                                   "--burst goes with --rate N and --to greenhouse (Lever's "
                                   "burst is fixed by its limit)"));
    }
    auto profile = ctx.active_profile();
    if (!profile) {
        return ctx.fail(profile.error());
    }
    const bool bulk = is_bulk(opts);
    if (bulk) {
        // Each target's one pacer adds its own limits (app::pace_for).
        ctx.use_concurrent_transport(k_bulk_workers, opts.rate,
                                     opts.burst > 0 ? static_cast<double>(opts.burst) : 1.0);
    }
    auto target = make_target(ctx, *profile, opts.to, opts.dry_run);
    if (!target) {
        return ctx.fail(target.error());
    }
    if (!opts.dry_run) {
        // Names and users are checked before anything is sent (usage error when unknown).
        PJATS_TRY_EXIT(ctx, (*target)->target().prepare(*placement));
    }
    if (!opts.posting.empty() && !opts.dry_run) {
        // Like link-job: only an open (published) posting takes candidates.
        auto session = open_lever(ctx, *profile);
        if (!session) {
            return ctx.fail(session.error());
        }
        PJATS_TRY_EXIT(ctx, lever::published_posting(*(*session)->client, opts.posting));
    }
    IdReader ids(opts.ids, opts.ids_from);
    std::unique_ptr<source::Source> source;
    if (opts.file.empty()) {
        auto opened = open_source(ctx, *profile);
        if (!opened) {
            return ctx.fail(opened.error());
        }
        source = std::move(*opened);
        if (auto readable = ids.open(); !readable) {
            return ctx.fail(readable.error());
        }
    }
    bool file_taken = false;
    const send::WorkSource items = [&]() -> std::optional<send::WorkItem> {
        if (!source) {
            if (file_taken) {
                return std::nullopt;
            }
            file_taken = true;
            return file_item(opts.file, *placement);
        }
        return next_item(ids, *source, *placement);
    };
    SendReporter reporter(ctx, opts.to);
    if (bulk && isatty(STDERR_FILENO) == 1 && !ctx.global.quiet && !ctx.global.json
        && ctx.global.verbose == 0) {
        std::optional<std::int64_t> total = static_cast<std::int64_t>(opts.ids.size());
        if (!opts.ids_from.empty()) {
            const auto listed = source::count_ids_in_file(opts.ids_from);
            total = listed ? std::optional(*total + *listed) : std::nullopt;
        }
        reporter.enable_progress(total);
    }
    const InterruptScope interrupt;
    send::RunOptions options;
    options.workers = bulk ? k_bulk_workers : 1;
    options.force = opts.force;
    options.dry_run = opts.dry_run;
    options.interrupted = &interrupt.flag();
    options.unknown = ctx.unknown_outcome_policy();
    const ledger::LedgerOpener ledger =
        opts.dry_run ? dry_run_ledger(ctx) : [&ctx] { return ctx.open_ledger(); };
    auto summary = send::run(
        (*target)->target(), options, ledger, items,
        [&reporter](const send::WorkItem&, const send::ItemReport& item) { reporter.add(item); });
    if (!summary) {
        return ctx.fail(summary.error());
    }
    if (summary->stopped_by) {
        reporter.set_stopped_by(*summary->stopped_by);
    }
    if (summary->interrupted) {
        reporter.set_interrupted(opts.force);
    }
    const int code = reporter.finish();
    metrics.set_counts(reporter.tally().counts());
    return code;
}

} // namespace

void add_send(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<SendOptions>();
    CLI::App* sub = app.add_subcommand("send", "Send candidates to Greenhouse or Lever");
    sub->add_option("ids", opts->ids, "Purpose Jobs candidate ids");
    sub->add_option("--to", opts->to, "Target system: greenhouse or lever")
        ->required()
        ->check(CLI::IsMember({"greenhouse", "lever"}));
    sub->add_option("--job", opts->job, "Greenhouse job id: add as a candidate on that job");
    sub->add_option("--posting", opts->posting, "Lever posting id to apply the opportunity to");
    sub->add_option(
           "--ids-from", opts->ids_from, "Read candidate ids from FILE (one per line; - for stdin)")
        ->option_text("FILE");
    sub->add_option("--file", opts->file, "Send this JSON Resume record (- for stdin)");
    sub->add_option("--on-behalf-of",
                    opts->on_behalf_of,
                    "Credit the sends to this user (EMAIL; wins over the record's exportedBy "
                    "and the profile's user)")
        ->option_text("EMAIL");
    sub->add_option("--pool", opts->pool, "Greenhouse: put the prospect in this prospect pool")
        ->option_text("NAME");
    sub->add_option("--pool-stage", opts->pool_stage, "Greenhouse: the stage of --pool")
        ->option_text("NAME");
    sub->add_option("--prospect-owner", opts->prospect_owner, "Greenhouse: the prospect's owner")
        ->option_text("EMAIL");
    sub->add_option("--rate",
                    opts->rate,
                    "At most N requests per second (0: unlimited, the default; Lever is always "
                    "held to its 10/s limit)");
    sub->add_option("--burst",
                    opts->burst,
                    "With --rate, to Greenhouse: let up to N requests go at once before "
                    "pacing (default 1: evenly spaced)")
        ->check(CLI::PositiveNumber);
    sub->add_flag("--dry-run", opts->dry_run, "Print the exact requests; send nothing");
    sub->add_flag("--force", opts->force, "Send even if the ledger says it was sent already");
    add_metrics_option(*sub, opts->metrics_file);
    sub->callback([opts, &ctx] {
        RunMetrics metrics(ctx, "send", opts->metrics_file);
        ctx.exit_code = metrics.finish(run_send(*opts, ctx, metrics));
    });
}

} // namespace pjats::cli
