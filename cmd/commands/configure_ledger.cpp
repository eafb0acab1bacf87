// `pj-ats configure ledger --new`: start a new, empty ledger for the profile on purpose
// (the old file, if any, is kept beside it), after the user decided that a missing or
// replaced ledger is not coming back. `--url postgresql://…` moves the profile to a shared
// PostgreSQL ledger, `--sqlite` back to its local file.
#include "commands/commands.hpp"

#include <pjats/ledger/generation.hpp>
#include <pjats/ledger/ledger.hpp>
#include <pjats/ledger/transfer.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <ostream>
#include <string>

namespace pjats::cli {

namespace {

// Opens the ledger at `url` ("" = the profile's SQLite file; its schema is created or
// migrated), then points the profile at it and records its lineage. Nothing is saved when
// the ledger cannot be opened, or when it does not hold this profile's history (another
// lineage, or an older copy of it) unless told: `start_new` accepts it as it is, `import`
// first adds an export (of the ledger the profile used) to it.
int run_switch_backend(const std::string& url, bool start_new, const std::string& import,
                       Context& ctx) {
    auto config = ctx.load_config();
    PJATS_TRY_EXIT(ctx, config);
    const std::string name = ctx.profile_name(*config);
    const auto active = config->profiles.find(name);
    const std::string used =
        active != config->profiles.end() ? active->second.ledger_lineage : std::string();
    ledger::Location location;
    if (url.empty()) {
        location.path = ledger::default_path(name);
    } else {
        PJATS_TRY_EXIT(ctx, ledger::check_postgres_url(url));
        location.url = url;
    }
    std::ifstream in;
    if (!import.empty()) {
        in.open(import, std::ios::binary);
        if (!in) {
            return ctx.fail(make_error(ErrorKind::config, "cannot read " + import));
        }
    }
    auto opened = ledger::open_location(location);
    PJATS_TRY_EXIT(ctx, opened);
    const std::string seen_path = ledger::generation_path(name);
    const ledger::Generation seen = ledger::read_generation(seen_path);
    if (!import.empty()) {
        auto report = ledger::import_jsonl(**opened, in, import);
        PJATS_TRY_EXIT(ctx, report);
        if (!report->lineage_adopted.empty()) {
            PJATS_TRY_EXIT(ctx, ledger::continue_generation(**opened, seen));
        }
        ctx.note("imported " + std::to_string(report->rows_added) + " rows ("
                 + std::to_string(report->rows_kept.size()) + " already there) from " + import);
    }
    auto lineage = (*opened)->lineage();
    PJATS_TRY_EXIT(ctx, lineage);
    if (!start_new && !used.empty()) {
        if (*lineage != used) {
            Error error = make_error(
                ErrorKind::config,
                "ledger " + location.describe() + " does not hold this profile's history (it "
                    + "is ledger " + *lineage + "; this profile's sends are in ledger " + used
                    + "): switching would send them again. Move them with --import FILE (a "
                    + "`pj-ats ledger export` of the current ledger), or use it as it is "
                    + "with --new");
            return ctx.fail(error);
        }
        const Status current = ledger::check_not_older(**opened, seen, location.describe());
        if (!current) {
            return ctx.fail(current.error());
        }
    }
    auto counts = (*opened)->counts();
    PJATS_TRY_EXIT(ctx, counts);
    PJATS_TRY_EXIT(ctx, ctx.update_profile([&](profile::Profile& profile) -> Status {
        profile.ledger_url = url;
        profile.ledger_lineage = *lineage;
        return {};
    }));
    auto now = ledger::current_generation(**opened);
    PJATS_TRY_EXIT(ctx, now);
    if (now->lineage != seen.lineage || start_new) {
        // Another history (or this one, accepted as it is): its own count from here.
        std::remove(seen_path.c_str());
    }
    PJATS_TRY_EXIT(ctx, ledger::write_generation(seen_path, *now));
    if (ledger::location_for("", url).from_env) {
        ctx.note("pj-ats: note: PJ_ATS_LEDGER_URL is set and wins over the profile while it is set");
    }
    ctx.out << "The profile's ledger is now " << location.describe() << " ("
            << (location.postgres() ? "PostgreSQL" : "SQLite") << ": " << counts->sent
            << " sent, " << counts->pending << " pending)\n";
    return 0;
}

int run_configure_ledger(bool start_new, Context& ctx) {
    if (!start_new) {
        return ctx.fail(make_error(ErrorKind::usage,
                                   "say what to do: --new starts a new, empty ledger, --url "
                                   "postgresql://USER@HOST/DB uses a shared one, --sqlite the "
                                   "local file"));
    }
    auto config = ctx.load_config();
    if (!config) {
        return ctx.fail(config.error());
    }
    const std::string name = ctx.profile_name(*config);
    const auto active = config->profiles.find(name);
    if (active != config->profiles.end() && !active->second.ledger_url.empty()) {
        return ctx.fail(make_error(ErrorKind::usage,
                                   "this profile uses the shared ledger "
                                   + active->second.ledger_url
                                   + "; --new starts a local file: run `pj-ats configure ledger "
                                     "--sqlite` first"));
    }
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
    auto url = std::make_shared<std::string>();
    auto sqlite = std::make_shared<bool>(false);
    CLI::App* sub = configure.add_subcommand("ledger", "Manage the profile's send ledger");
    CLI::Option* new_opt = sub->add_flag(
        "--new", *start_new,
        "Start a new, empty ledger (the old file is kept beside it); with --url/--sqlite: "
        "use that ledger although it does not hold this profile's history");
    CLI::Option* url_opt = sub->add_option(
        "--url", *url,
        "Use a shared PostgreSQL ledger: postgresql://USER@HOST[:PORT]/DB[?sslmode=…] "
        "(no password: ~/.pgpass, PGPASSFILE or PGSERVICE)");
    CLI::Option* sqlite_opt =
        sub->add_flag("--sqlite", *sqlite, "Go back to the local SQLite ledger file");
    auto import = std::make_shared<std::string>();
    CLI::Option* import_opt = sub->add_option(
        "--import", *import,
        "With --url/--sqlite: first add FILE (a `pj-ats ledger export` of the current ledger) "
        "to the new one, so it holds this profile's history");
    url_opt->excludes(sqlite_opt);
    import_opt->excludes(new_opt);
    sub->callback([start_new, url, sqlite, import, &ctx] {
        if (!url->empty() || *sqlite) {
            ctx.exit_code = run_switch_backend(*url, *start_new, *import, ctx);
        } else if (!import->empty()) {
            ctx.exit_code = ctx.fail(make_error(
                ErrorKind::usage, "--import goes with --url URL or --sqlite"));
        } else {
            ctx.exit_code = run_configure_ledger(*start_new, ctx);
        }
    });
}

} // namespace pjats::cli
