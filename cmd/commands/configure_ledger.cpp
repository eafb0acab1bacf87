// `pj-ats configure ledger --new`: start a new, empty ledger for the profile on purpose
// (the old file, if any, is kept beside it), after the user decided that a missing or
// replaced ledger is not coming back.
#include "commands/commands.hpp"

#include <pjats/ledger/ledger.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <string>

namespace pjats::cli {

namespace {

int run_configure_ledger(bool start_new, Context& ctx) {
    if (!start_new) {
        return ctx.fail(make_error(ErrorKind::usage,
                                   "say what to do: --new starts a new, empty ledger"));
    }
    auto config = ctx.load_config();
    if (!config) {
        return ctx.fail(config.error());
    }
    const std::string name = ctx.profile_name(*config);
    const std::string path = ledger::default_path(name);
    const auto stamp = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    const std::string kept = path + ".replaced-" + std::to_string(stamp);
    if (std::rename(path.c_str(), kept.c_str()) == 0) {
        for (const char* suffix : {"-wal", "-shm"}) {
            std::rename((path + suffix).c_str(), (kept + suffix).c_str());
        }
        ctx.note("kept the previous ledger as " + kept);
    } else if (errno != ENOENT) {
        return ctx.fail(make_error(ErrorKind::config, "cannot move " + path + " aside: "
                                                          + std::strerror(errno)));
    }
    auto saved = ctx.update_profile([](profile::Profile& profile) -> Status {
        profile.ledger_lineage.clear();
        return {};
    });
    if (!saved) {
        return ctx.fail(saved.error());
    }
    auto opened = ctx.open_ledger(); // creates it and records its lineage in the profile
    if (!opened) {
        return ctx.fail(opened.error());
    }
    ctx.out << "Started a new, empty ledger " << path << " for profile '" << name
            << "'; candidates sent before will be sent again if you send them\n";
    return 0;
}

} // namespace

void add_configure_ledger(CLI::App& configure, Context& ctx) {
    auto start_new = std::make_shared<bool>(false);
    CLI::App* sub = configure.add_subcommand("ledger", "Manage the profile's send ledger");
    sub->add_flag("--new", *start_new,
                  "Start a new, empty ledger (the old file is kept beside it)");
    sub->callback([start_new, &ctx] { ctx.exit_code = run_configure_ledger(*start_new, ctx); });
}

} // namespace pjats::cli
