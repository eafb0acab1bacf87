// `pj-ats configure greenhouse|lever|source|ledger|organization`: a group with one file per system.
#include "commands/commands.hpp"

namespace pjats::cli {

void add_configure(CLI::App& app, Context& ctx) {
    CLI::App* configure = app.add_subcommand(
        "configure", "Store credentials and the candidate source in the profile");
    configure->require_subcommand(1);
    add_configure_greenhouse(*configure, ctx);
    add_configure_lever(*configure, ctx);
    add_configure_source(*configure, ctx);
    add_configure_ledger(*configure, ctx);
    add_configure_organization(*configure, ctx);
}

} // namespace pjats::cli
