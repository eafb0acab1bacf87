// `status`: the ledger — its backend checked live, its counts, the sends that need a
// person, and the last sync.
#include "status/report.hpp"

namespace pjats::cli {

void check_ledger(const std::string& name,
                  const profile::Profile& profile,
                  const Context& ctx,
                  StatusReport& report) {
    const ledger::Location location = ledger::location_for(name, profile.ledger_url);
    const bool refused = location.postgres() && !ledger::check_postgres_url(location.url);
    const std::string path = refused ? std::string("(a refused ledger URL)") : location.describe();
    ledger::Counts counts;
    std::vector<ledger::Entry> review;
    std::vector<ledger::Entry> failed;
    std::vector<ledger::Entry> pending;
    std::string last_sync;
    std::string sync_counts;
    // PostgreSQL: reaching the server (and reading the schema) is the live check.
    auto found = ledger::ledger_exists(location);
    const bool exists = found && *found;
    ledger::OpenOptions options;
    options.expected_lineage = location.from_env ? std::string() : profile.ledger_lineage;
    if (!found) {
        report.fail("ledger", found.error().message,
                    "check the server and the URL with `psql " + shell_word(path)
                        + " -c 'SELECT 1'` (passwords: ~/.pgpass, PGPASSFILE or PGSERVICE)",
                    exit_code_for(found.error()));
    } else if (!exists && !options.expected_lineage.empty()) {
        report.fail("ledger",
                    path + " is missing, but this profile used ledger " + profile.ledger_lineage,
                    "restore it from a backup, or start a new, empty one with `pj-ats configure "
                    "ledger --new` (candidates already sent would then be sent again)",
                    ExitCode::config);
    } else if (!exists) {
        // Opening would create it; status never writes.
        report.ok("ledger", path + ": no sends yet");
    } else if (auto opened = ledger::open_location(location, options); !opened) {
        const std::string hint = hint_text(opened.error().hint, command_prefix(ctx));
        report.fail("ledger",
                    opened.error().message,
                    !hint.empty() ? hint
                                  : "check that " + path + " is a pj-ats ledger owned by you (ls -l "
                                        + shell_word(path) + ")",
                    exit_code_for(opened.error()));
    } else if (auto counted = (*opened)->counts(); !counted) {
        report.fail(
            "ledger", counted.error().message, "check " + path, exit_code_for(counted.error()));
    } else {
        counts = *counted;
        report.ok("ledger",
                  path + ": " + std::to_string(counts.sent) + " sent, "
                      + std::to_string(counts.failed) + " failed, " + std::to_string(counts.pending)
                      + " pending, " + std::to_string(counts.review) + " to review");
        if (auto listed = (*opened)->list(ledger::State::failed); listed) {
            failed = std::move(*listed);
        }
        if (auto listed = (*opened)->list(ledger::State::pending); listed) {
            pending = std::move(*listed);
        }
        report_sends_to_fix(failed, pending, profile.links, ctx, report);
        report_unreported_hires(**opened, ctx, report);
        if (auto listed = (*opened)->list(ledger::State::review); listed) {
            review = std::move(*listed);
        }
        report_reviews(review, ctx, report);
        if (auto meta = (*opened)->meta("last_sync"); meta) {
            last_sync = *meta;
        }
        if (auto meta = (*opened)->meta("last_sync_counts"); meta) {
            sync_counts = *meta;
        }
    }
    JsonWriter json;
    json.begin_object().key("path").value(path).key("exists").value(exists);
    json.key("backend").value(location.postgres() ? "postgresql" : "sqlite");
    json.key("counts").begin_object().key("pending").value(counts.pending);
    json.key("sent").value(counts.sent).key("failed").value(counts.failed);
    json.key("review").value(counts.review).end_object();
    json.key("review");
    write_reviews_json(json, review);
    json.key("failed");
    write_sends_json(json, failed);
    json.key("pending");
    write_sends_json(json, pending);
    json.end_object();
    report.set_section("ledger", json.str());
    check_last_sync(last_sync, last_sync_counts(sync_counts, report), profile, ctx, report);
}

} // namespace pjats::cli
