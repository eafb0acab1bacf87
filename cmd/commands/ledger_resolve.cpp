// `pj-ats ledger resolve CANDIDATE --to T [--job ID|--posting ID] (--found ID | --not-sent |
// --skip-file)`: closes a send whose outcome pj-ats could not learn (review, or pending
// after its run died), after a human checked the ATS (lib: ledger::resolve,
// docs/ledger.md); --skip-file gives up a Lever résumé file step that keeps failing
// (send::skip_step).
#include "commands/commands.hpp"
#include "services.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/ledger/review.hpp>
#include <pjats/send/skip_step.hpp>
#include <pjats/source/source.hpp>

#include <ostream>

namespace pjats::cli {

namespace {

struct ResolveOptions {
    std::string candidate;
    std::string to;
    std::string job;
    std::string posting;
    std::string found;
    bool not_sent = false;
    bool skip_file = false;
};

// The placement the flags name (as `send` reads them), checked against the target.
Result<send::Placement> placement_of(const ResolveOptions& opts) {
    send::Placement placement;
    if (!opts.job.empty()) {
        if (opts.to != "greenhouse") {
            return make_error(ErrorKind::usage,
                              "--job is for --to greenhouse; use --posting for Lever");
        }
        if (opts.job.size() > 18 || opts.job.find_first_not_of("0123456789") != std::string::npos
            || std::stoll(opts.job) <= 0) {
            return make_error(ErrorKind::usage,
                              "--job must be a Greenhouse job id (a positive integer)");
        }
        placement.greenhouse_job = std::stoll(opts.job);
    }
    if (!opts.posting.empty()) {
        if (opts.to != "lever") {
            return make_error(ErrorKind::usage,
                              "--posting is for --to lever; use --job for Greenhouse");
        }
        PJATS_TRY(source::check_record_id(opts.posting));
        placement.lever_posting = opts.posting;
    }
    return placement;
}

// The ledger key of the send: its account comes from the target as `send` builds it
// (from the profile when it knows it; Greenhouse may have to ask whom the key acts as).
Result<ledger::Key> key_of(const ResolveOptions& opts,
                           const send::Placement& placement,
                           const profile::Profile& profile,
                           Context& ctx) {
    auto target = make_target(ctx, profile, opts.to, /*offline=*/true);
    if (target && (*target)->target().account().empty()) {
        target = make_target(ctx, profile, opts.to);
    }
    if (!target) {
        return std::move(target).error();
    }
    send::Target& t = (*target)->target();
    return ledger::Key(opts.candidate, t.name(), t.destination(placement), t.account());
}

// --skip-file: the row stays sent; its file step ends without the file.
int run_skip_file(const ResolveOptions& opts, Context& ctx) {
    if (opts.to != "lever") {
        return ctx.fail(make_error(ErrorKind::usage,
                                   "--skip-file is for --to lever (Greenhouse fetches the "
                                   "résumé itself)"));
    }
    if (!opts.found.empty() || opts.not_sent) {
        return ctx.fail(make_error(ErrorKind::usage,
                                   "--skip-file goes alone, without --found or --not-sent"));
    }
    PJATS_TRY_EXIT(ctx, source::check_record_id(opts.candidate));
    auto placement = placement_of(opts);
    PJATS_TRY_EXIT(ctx, placement);
    auto profile = ctx.active_profile();
    PJATS_TRY_EXIT(ctx, profile);
    auto key = key_of(opts, *placement, *profile, ctx);
    PJATS_TRY_EXIT(ctx, key);
    auto ledger = ctx.open_ledger();
    PJATS_TRY_EXIT(ctx, ledger);
    PJATS_TRY_EXIT(ctx, (*ledger)->adopt_unkeyed(key->target, key->account));
    auto skipped = send::skip_step(**ledger, *key, "file",
                                   "skipped: given up with `pj-ats ledger resolve --skip-file`");
    PJATS_TRY_EXIT(ctx, skipped);
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_object().key("candidate_id").value(key->candidate_id);
        json.key("target").value(key->target).key("destination").value(key->destination);
        json.key("step").value("file").key("was").value(ledger::to_string(skipped->before));
        json.key("state").value(skipped->already_done ? "done" : "skipped").end_object();
        ctx.out << json.str() << '\n';
    } else if (skipped->already_done) {
        ctx.out << ledger::describe(*key) << ": the résumé file step is already done\n";
    } else {
        ctx.out << "Resolved " << ledger::describe(*key)
                << ": the résumé file is given up (was " << ledger::to_string(skipped->before)
                << "); later runs leave it\n";
    }
    return 0;
}

int run_resolve(const ResolveOptions& opts, Context& ctx) {
    if (opts.skip_file) {
        return run_skip_file(opts, ctx);
    }
    if (opts.found.empty() == !opts.not_sent) {
        return ctx.fail(make_error(
            ErrorKind::usage,
            "say what you found in the ATS: --found REMOTE_ID or --not-sent (or give up a "
            "Lever résumé file with --skip-file)"));
    }
    PJATS_TRY_EXIT(ctx, source::check_record_id(opts.candidate));
    auto placement = placement_of(opts);
    PJATS_TRY_EXIT(ctx, placement);
    ledger::Resolution resolution;
    resolution.verdict =
        opts.not_sent ? ledger::Resolution::Verdict::not_sent : ledger::Resolution::Verdict::found;
    resolution.remote_id = opts.found;
    PJATS_TRY_EXIT(ctx, opts.not_sent ? Status{} : ledger::check_remote_id(opts.to, opts.found));
    auto profile = ctx.active_profile();
    PJATS_TRY_EXIT(ctx, profile);
    auto key = key_of(opts, *placement, *profile, ctx);
    PJATS_TRY_EXIT(ctx, key);
    auto ledger = ctx.open_ledger();
    PJATS_TRY_EXIT(ctx, ledger);
    PJATS_TRY_EXIT(ctx, (*ledger)->adopt_unkeyed(key->target, key->account));
    auto result = ledger::resolve(**ledger, *key, resolution);
    PJATS_TRY_EXIT(ctx, result);
    const std::string state = result->removed ? "removed" : ledger::to_string(result->after);
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_object().key("candidate_id").value(key->candidate_id);
        json.key("target").value(key->target).key("destination").value(key->destination);
        json.key("was").value(ledger::to_string(result->before.state));
        json.key("state").value(state).key("remote_id").value(result->remote_id).end_object();
        ctx.out << json.str() << '\n';
    } else if (result->removed) {
        ctx.out << "Resolved " << ledger::describe(*key) << ": not sent; the next send or sync "
                << "sends it\n";
    } else {
        ctx.out << "Resolved " << ledger::describe(*key) << ": sent as " << result->remote_id
                << (opts.not_sent ? " (the earlier send stands)" : "") << '\n';
    }
    return 0;
}

} // namespace

void add_ledger_resolve(CLI::App& group, Context& ctx) {
    auto opts = std::make_shared<ResolveOptions>();
    CLI::App* sub =
        group.add_subcommand("resolve", "Close a send for review after checking in the ATS");
    sub->add_option("candidate", opts->candidate, "Purpose Jobs candidate id")->required();
    sub->add_option("--to", opts->to, "Target system: greenhouse or lever")
        ->required()
        ->check(CLI::IsMember({"greenhouse", "lever"}));
    sub->add_option("--job", opts->job, "Greenhouse job id the send was for");
    sub->add_option("--posting", opts->posting, "Lever posting id the send was for");
    sub->add_option("--found", opts->found, "The record exists in the ATS: mark it sent as this id")
        ->option_text("REMOTE_ID");
    sub->add_flag(
        "--not-sent", opts->not_sent, "The ATS has no such record: let the next run send it");
    sub->add_flag("--skip-file",
                  opts->skip_file,
                  "Lever: give up attaching the résumé file (a URL that will never work)");
    sub->callback([opts, &ctx] { ctx.exit_code = run_resolve(*opts, ctx); });
}

} // namespace pjats::cli
