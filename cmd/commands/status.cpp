// `pj-ats status [--offline]`: a doctor. Checks the config file, the active profile, the
// source, each target's credentials (where they came from, expiry, a live call), the job
// links, the ledger and the last sync; prints one line per check with the fix for each
// problem, or one JSON object with --json. Exit status: k_status_exit below (the README's and
// the man page's story, word for word in substance).
#include "commands/commands.hpp"
#include "output.hpp"
#include "status/report.hpp"
#include "table.hpp"


#include <ostream>

namespace pjats::cli {

namespace {

constexpr const char* k_status_exit =
    "status exits 0 when nothing needs a person (warnings are fine); 3 when nothing is broken "
    "but sends need a person (they failed, or await review); otherwise the code of the most "
    "severe failed check (5 configuration, 4 authentication, 8 lock, 7 temporary, ...). The "
    "last line says which and why; --json carries the same \"verdict\" (ok, attention, "
    "broken), \"needs_person\" and \"exit_code\".";

struct StatusOptions {
    bool offline = false;
};

int run_status(const StatusOptions& opts, Context& ctx) {
    StatusReport report;
    if (!check_profile_name_given(ctx, report)) {
        // nothing else can be checked under a name no command accepts
    } else if (const auto config = check_config(ctx, report)) {
        if (const auto profile = check_profile(ctx, *config, report)) {
            check_source(*profile, ctx, report);
            check_greenhouse(ctx, *profile, opts.offline, report);
            check_lever(ctx, *profile, opts.offline, report);
            if (!profile->greenhouse && !profile->lever) {
                report.fail("targets",
                            "neither Greenhouse nor Lever is configured",
                            "printf '%s' \"$KEY\" | " + command_prefix(ctx)
                                + " configure greenhouse --email USER_EMAIL --api-key-stdin",
                            ExitCode::config);
            }
            check_links(*profile, ctx, report);
            check_linked_postings(ctx, *profile, opts.offline, report);
            check_ledger(ctx.profile_name(*config), *profile, ctx, report);
        }
    }
    if (ctx.global.json) {
        ctx.out << report.to_json() << '\n';
    } else {
        report.print_text(ctx.out, use_color(ctx, OutputStream::out), table_width());
    }
    return report.exit_code();
}

} // namespace

void add_status(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<StatusOptions>();
    CLI::App* sub = app.add_subcommand(
        "status", "Check configuration, credentials, ledger and last sync (a doctor)");
    sub->footer(k_status_exit);
    sub->add_flag("--offline", opts->offline, "Skip the live API checks (no network requests)");
    sub->callback([opts, &ctx] { ctx.exit_code = run_status(*opts, ctx); });
}

} // namespace pjats::cli
