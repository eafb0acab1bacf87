// `pj-ats ledger …`: the send ledger's own subcommands (export/import in
// ledger_transfer.cpp).
#include "commands/commands.hpp"

namespace pjats::cli {

void add_ledger(CLI::App& app, Context& ctx) {
    CLI::App* ledger = app.add_subcommand("ledger", "Inspect and move the send ledger");
    ledger->require_subcommand(1);
    add_ledger_transfer(*ledger, ctx);
}

} // namespace pjats::cli
