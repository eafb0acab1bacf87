// `pj-ats track [--to greenhouse|lever] [ID...] [--changed]`: where the candidates pj-ats
// sent now stand in the ATS, remembered in the ledger (docs/tracking.md).
#include "commands/commands.hpp"
#include "metrics.hpp"
#include "track_refresh.hpp"
#include "track_report.hpp"

namespace pjats::cli {

namespace {

struct TrackOptions {
    std::string to;
    std::vector<std::string> ids;
    bool changed = false;
    std::string metrics_file;
};

int run_track(const TrackOptions& opts, Context& ctx, RunMetrics& metrics) {
    if (!opts.to.empty() && opts.to != "greenhouse" && opts.to != "lever") {
        return ctx.fail(make_error(ErrorKind::usage, "--to must be greenhouse or lever"));
    }
    auto refreshed = refresh(ctx, RefreshRequest{opts.to, opts.ids});
    if (!refreshed) {
        return ctx.fail(refreshed.error());
    }
    std::size_t shown = 0;
    std::int64_t changed = 0;
    std::vector<const ledger::Tracked*> table;
    for (const RefreshedRow& item : refreshed->rows) {
        changed += item.changed ? 1 : 0;
        if (!opts.changed || item.changed) {
            if (ctx.global.json) {
                print_tracked(ctx, item.row, item.changed);
            } else {
                table.push_back(&item.row);
            }
            ++shown;
        }
    }
    if (!table.empty()) {
        print_tracked_table(ctx, table);
    }
    metrics.set_outcomes({{"tracked", static_cast<std::int64_t>(refreshed->rows.size())},
                          {"changed", changed},
                          {"failed", static_cast<std::int64_t>(refreshed->failed.size())}});
    for (const auto& [key, error] : refreshed->failed) {
        print_track_failure(ctx, key, error);
    }
    if (const auto& stopped = refreshed->tally.stopped_by()) {
        return ctx.fail(*stopped);
    }
    if (refreshed->rows.empty() && refreshed->failed.empty()) {
        ctx.note("nothing to track: the ledger holds no sent candidates"
                 + std::string(opts.to.empty() ? "" : " for " + opts.to));
    } else if (!ctx.global.json) {
        ctx.note(std::to_string(refreshed->rows.size()) + " tracked, "
                 + std::to_string(shown) + " shown"
                 + (refreshed->failed.empty()
                        ? std::string()
                        : ", " + std::to_string(refreshed->failed.size()) + " without an answer"));
    }
    return refreshed->tally.exit_code();
}

} // namespace

void add_track(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<TrackOptions>();
    CLI::App* sub = app.add_subcommand(
        "track", "Ask the ATS where sent candidates stand (active, hired, rejected, archived, "
                 "lost)");
    sub->add_option("--to", opts->to, "Only this target: greenhouse or lever");
    sub->add_option("CANDIDATE_ID", opts->ids, "Only these Purpose Jobs candidate ids");
    sub->add_flag("--changed", opts->changed,
                  "Print only what moved (state or stage) since the last track");
    add_metrics_option(*sub, opts->metrics_file);
    sub->callback([opts, &ctx] {
        RunMetrics metrics(ctx, "track", opts->metrics_file);
        ctx.exit_code = metrics.finish(run_track(*opts, ctx, metrics));
    });
}

} // namespace pjats::cli
