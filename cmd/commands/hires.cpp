// `pj-ats hires --since DATE [--until DATE] [--format csv|json|table] [--offline]`: the
// Purpose-Jobs-sourced candidates hired in a window, for the hire report Purpose Jobs'
// terms ask for (docs/tracking.md).
#include "commands/commands.hpp"
#include "services.hpp"
#include "track_refresh.hpp"
#include "track_report.hpp"

#include <pjats/track/track.hpp>

#include <ctime>

namespace pjats::cli {

namespace {

struct HiresOptions {
    std::string since;
    std::string until;
    std::string format = "csv";
    bool offline = false;
};

// The record's basics.name from the profile's source; "" when the source has no record
// (the row is still reported: the hire happened).
std::string name_of(source::Source* source, const std::string& id) {
    if (source == nullptr) {
        return {};
    }
    auto candidate = source->candidate(id);
    return candidate ? candidate->name : std::string();
}

int run_hires(const HiresOptions& opts, Context& ctx) {
    if (opts.format != "csv" && opts.format != "json" && opts.format != "table") {
        return ctx.fail(make_error(ErrorKind::usage, "--format must be csv, json or table"));
    }
    auto since = track::parse_date(opts.since);
    PJATS_TRY_EXIT(ctx, since);
    std::int64_t until = 0;
    if (!opts.until.empty()) {
        auto parsed = track::parse_date(opts.until);
        PJATS_TRY_EXIT(ctx, parsed);
        until = *parsed + 86400; // --until is inclusive
        if (until <= *since) {
            return ctx.fail(make_error(ErrorKind::usage, "--until is before --since"));
        }
    }
    int code = 0;
    if (!opts.offline) {
        auto refreshed = refresh(ctx, RefreshRequest{});
        PJATS_TRY_EXIT(ctx, refreshed);
        for (const auto& [key, error] : refreshed->failed) {
            ctx.err << "pj-ats: " << key.candidate_id << " (" << key.target
                    << "): no answer, reporting what the ledger knows: " << error.message
                    << '\n';
        }
        if (const auto& stopped = refreshed->tally.stopped_by()) {
            return ctx.fail(*stopped);
        }
        code = refreshed->tally.exit_code();
    }
    auto ledger = ctx.open_ledger();
    PJATS_TRY_EXIT(ctx, ledger);
    auto rows = (*ledger)->tracked();
    PJATS_TRY_EXIT(ctx, rows);
    auto profile = ctx.active_profile();
    PJATS_TRY_EXIT(ctx, profile);
    auto source = open_source(ctx, *profile);
    if (!source) {
        ctx.note("no readable source (" + source.error().message + "): names left empty");
    }
    const bool json = opts.format == "json" || ctx.global.json;
    const std::vector<ledger::Tracked> hired = track::hires(*rows, *since, until);
    if (!json && opts.format == "table") {
        std::vector<std::pair<const ledger::Tracked*, std::string>> named;
        for (const ledger::Tracked& row : hired) {
            named.emplace_back(&row,
                               name_of(source ? source->get() : nullptr, row.key.candidate_id));
        }
        print_hires_table(ctx, named);
    } else {
        if (!json) {
            print_hires_header(ctx);
        }
        for (const ledger::Tracked& row : hired) {
            print_hire(ctx, row,
                       name_of(source ? source->get() : nullptr, row.key.candidate_id), json);
        }
    }
    // What status calls "hires not yet reported" is what was seen after this export.
    auto noted = (*ledger)->set_meta("hires_reported_at",
                                     std::to_string(static_cast<std::int64_t>(std::time(nullptr))));
    PJATS_TRY_EXIT(ctx, noted);
    return code;
}

} // namespace

void add_hires(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<HiresOptions>();
    CLI::App* sub = app.add_subcommand(
        "hires", "Report Purpose Jobs candidates hired in a window (CSV or JSON)");
    sub->add_option("--since", opts->since, "First day of the window (YYYY-MM-DD, UTC)")
        ->required();
    sub->add_option("--until", opts->until, "Last day of the window, inclusive (YYYY-MM-DD)");
    sub->add_option("--format",
                    opts->format,
                    "csv (default, with a header), json, or table (fitted to the terminal)");
    sub->add_flag("--offline", opts->offline, "Report from the ledger; ask no ATS first");
    sub->callback([opts, &ctx] { ctx.exit_code = run_hires(*opts, ctx); });
}

} // namespace pjats::cli
