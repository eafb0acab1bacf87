#pragma once

#include "context.hpp"

#include <CLI/CLI.hpp>

namespace pjats::cli {

// One function per subcommand (each in its own file), registered in help order by main.
void add_configure(CLI::App& app, Context& ctx);
void add_configure_greenhouse(CLI::App& configure, Context& ctx);
void add_configure_lever(CLI::App& configure, Context& ctx);
void add_configure_source(CLI::App& configure, Context& ctx);
void add_configure_ledger(CLI::App& configure, Context& ctx);
void add_configure_organization(CLI::App& configure, Context& ctx);
void add_send(CLI::App& app, Context& ctx);
void add_link_job(CLI::App& app, Context& ctx);
void add_sync(CLI::App& app, Context& ctx);
void add_track(CLI::App& app, Context& ctx);
void add_audit(CLI::App& app, Context& ctx);
void add_hires(CLI::App& app, Context& ctx);
void add_postings(CLI::App& app, Context& ctx);
void add_jobs(CLI::App& app, Context& ctx);
void add_status(CLI::App& app, Context& ctx);
void add_revoke(CLI::App& app, Context& ctx);
void add_sandbox(CLI::App& app, Context& ctx);
void add_ledger(CLI::App& app, Context& ctx);
void add_ledger_resolve(CLI::App& ledger_group, Context& ctx);
void add_ledger_transfer(CLI::App& ledger_group, Context& ctx);

} // namespace pjats::cli
