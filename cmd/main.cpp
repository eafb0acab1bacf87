// pj-ats: sends Purpose Jobs candidates to Greenhouse and Lever (see README.md and man/pj-ats.1).
#include "commands/commands.hpp"
#include "context.hpp"
#include "exit_code.hpp"
#include "help_format.hpp"
#include "usage_error.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    using namespace pjats::cli;
    Context ctx(std::cout, std::cerr);

    CLI::App app{"pj-ats: send Purpose Jobs candidates to Greenhouse and Lever", "pj-ats"};
    use_help_formatter(app); // before the subcommands, which share it
    app.set_version_flag("--version", std::string("pj-ats ") + PJATS_VERSION);
    app.footer(exit_codes_help());
    app.require_subcommand(1);
    app.fallthrough();
    app.add_option("--profile", ctx.global.profile, "Profile to use (env PJ_ATS_PROFILE)");
    app.add_option("--config", ctx.global.config, "Config file (env PJ_ATS_CONFIG)");
    app.add_flag("--json", ctx.global.json, "Machine-readable output on stdout");
    app.add_flag("-v,--verbose", ctx.global.verbose, "Trace HTTP on stderr (secrets and PII redacted)");
    app.add_flag("-q,--quiet", ctx.global.quiet, "Only errors on stderr");
    app.add_flag("--no-input", ctx.global.no_input, "Never prompt (implied without a TTY or with CI set)");

    add_configure(app, ctx);
    add_send(app, ctx);
    add_link_job(app, ctx);
    add_sync(app, ctx);
    add_track(app, ctx);
    add_hires(app, ctx);
    add_audit(app, ctx);
    add_postings(app, ctx);
    add_jobs(app, ctx);
    add_status(app, ctx);
    add_ledger(app, ctx);
    add_revoke(app, ctx);
    add_sandbox(app, ctx);

    try {
        app.parse(argc, argv);
        if (const int stale = ctx.check_ledger_at_end(); stale != 0) {
            return stale;
        }
    } catch (const CLI::ParseError& e) {
        return report_parse_error(app, e, std::cerr);
    } catch (const std::exception& e) {
        std::cerr << "pj-ats: internal error: " << e.what() << '\n';
        return to_int(ExitCode::failure);
    }
    return ctx.exit_code;
}
