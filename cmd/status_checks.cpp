// The local checks of `pj-ats status`: config file, active profile, source, job links and
// the ledger. None of them makes a network request or writes a file.
#include "services.hpp"
#include "status_report.hpp"

#include <pjats/send/target.hpp>
#include <pjats/ledger/ledger.hpp>

#include <sys/stat.h>
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>

namespace pjats::cli {

namespace {

constexpr std::size_t k_review_lines = 20;           // review rows listed in text output
constexpr std::int64_t k_stale_sync_seconds = 86400; // linked jobs unsynced for a day

std::string octal_mode(mode_t mode) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode & 07777));
    return buffer;
}

std::optional<mode_t> mode_of(const std::string& path) {
    struct stat st {};

    if (::stat(path.c_str(), &st) != 0) {
        return std::nullopt;
    }
    return st.st_mode;
}

void value_or_null(JsonWriter& json, const std::optional<std::string>& text) {
    if (text) {
        json.value(*text);
    } else {
        json.null();
    }
}

// A library hint as the `fix:` column shows it: the bare command.
std::string status_fix(const Hint& hint, const std::string& program) {
    if (hint.kind == Hint::Kind::run) {
        return program + " " + hint.command + (hint.more.empty() ? "" : " " + hint.more);
    }
    return hint.command;
}

// "2026-11-23T17:49:00Z" for unix seconds.
std::string iso_time(std::int64_t seconds) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

// Unix seconds from "1700000000" or "2026-11-23T17:49:00Z" (what sync writes).
std::optional<std::int64_t> unix_seconds(const std::string& text) {
    if (!text.empty() && text.size() <= 18
        && text.find_first_not_of("0123456789") == std::string::npos) {
        return std::stoll(text);
    }
    std::tm tm{};
    const char* end = ::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (end == nullptr || *end != '\0') {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(::timegm(&tm));
}

// The flags of `send` that put a candidate where ledger destination `destination` says.
std::string destination_flags(const std::string& destination) {
    const send::Destination where = send::Destination::parse(destination);
    switch (where.kind) {
    case send::Destination::Kind::job:
        return " --job " + shell_word(where.id);
    case send::Destination::Kind::posting:
        return " --posting " + shell_word(where.id);
    case send::Destination::Kind::none:
        break;
    }
    return {};
}

void report_review(const ledger::Entry& entry, const Context& ctx, StatusReport& report) {
    const ledger::Key& key = entry.key;
    const bool greenhouse = key.target == "greenhouse";
    const std::string where = key.target + (key.destination.empty() ? "" : " " + key.destination);
    report.attention("ledger.review",
                key.candidate_id + " -> " + where + ": "
                    + (entry.last_error.empty() ? "outcome unknown" : entry.last_error),
                std::string("check in ") + (greenhouse ? "Greenhouse" : "Lever") + " whether "
                    + (greenhouse ? "a candidate with external_id " + key.candidate_id
                                  : "an opportunity for " + key.candidate_id)
                    + " exists, then record what you found: " + command_prefix(ctx)
                    + " ledger resolve " + shell_word(key.candidate_id) + " --to " + key.target
                    + destination_flags(key.destination) + " --found "
                    + (greenhouse ? "CANDIDATE_ID" : "OPPORTUNITY_ID")
                    + " (or --not-sent: the next run sends it)");
}

void check_last_sync(const std::string& last,
                     const std::string& counts, // what that run did, "" when unknown
                     const profile::Profile& profile,
                     const Context& ctx,
                     StatusReport& report) {
    JsonWriter json;
    value_or_null(json, last.empty() ? std::nullopt : std::optional<std::string>(last));
    report.set_section("last_sync", json.str());
    const std::string schedule = "run `" + command_prefix(ctx)
                                 + " sync` from cron or systemd (see examples/cron and "
                                   "examples/systemd)";
    const std::size_t links = profile.links.size();
    if (last.empty()) {
        if (links > 0) {
            report.warn("last_sync",
                        "never, and " + std::to_string(links)
                            + (links == 1 ? " job is linked" : " jobs are linked"),
                        schedule);
        } else {
            report.ok("last_sync", "never");
        }
        return;
    }
    const std::optional<std::int64_t> when = unix_seconds(last);
    if (!when) {
        report.ok("last_sync", last);
        return;
    }
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    const std::string detail = iso_time(*when) + " (" + relative_time(*when, now) + ")"
                               + (counts.empty() ? "" : ": " + counts);
    if (links > 0 && now - *when > k_stale_sync_seconds) {
        report.warn("last_sync", detail + ": linked jobs are not being synced", schedule);
    } else {
        report.ok("last_sync", detail);
    }
}

} // namespace

std::optional<profile::Config> check_config(const Context& ctx, StatusReport& report) {
    const std::string path = ctx.config_path();
    const std::string pj = command_prefix(ctx);
    std::optional<std::string> mode;
    std::optional<std::string> dir_mode;
    std::optional<profile::Config> config;
    std::optional<mode_t> dir_bits;
    const std::string dir = std::filesystem::path(path).parent_path().string();
    if (path.empty()) {
        report.fail("config",
                    "no config location: HOME and XDG_CONFIG_HOME are unset",
                    "set HOME, or pass --config PATH",
                    ExitCode::config);
    } else if (const auto bits = mode_of(path); !bits) {
        report.fail("config",
                    "no config file at " + path,
                    pj + " configure source --dir PATH, then " + pj
                        + " configure greenhouse (or lever)",
                    ExitCode::config);
    } else {
        mode = octal_mode(*bits);
        dir_bits = mode_of(dir);
        if (dir_bits) {
            dir_mode = octal_mode(*dir_bits);
        }
        auto loaded = ctx.load_config(); // the command's one read of the file
        if (!loaded) {
            const Error& error = loaded.error();
            report.fail("config",
                        error.message,
                        error.hint.kind == Hint::Kind::none
                            ? "correct " + path + " (or move it aside and configure again)"
                            : status_fix(error.hint, pj),
                        ExitCode::config);
        } else {
            config = std::move(*loaded);
            report.ok("config",
                      path + " (mode " + *mode + ", directory " + dir_mode.value_or("?") + ")");
            if (dir_bits && (*dir_bits & 077) != 0) {
                report.warn("config.dir",
                            dir + " can be listed by others (mode " + *dir_mode
                                + "); the file itself is private",
                            "chmod 700 " + shell_word(dir));
            }
        }
    }
    JsonWriter json;
    json.begin_object().key("path");
    value_or_null(json, path.empty() ? std::nullopt : std::optional<std::string>(path));
    json.key("exists").value(mode.has_value()).key("mode");
    value_or_null(json, mode);
    json.key("dir_mode");
    value_or_null(json, dir_mode);
    json.key("ok").value(config.has_value()).end_object();
    report.set_section("config", json.str());
    return config;
}

bool check_profile_name_given(const Context& ctx, StatusReport& report) {
    const char* env = std::getenv("PJ_ATS_PROFILE");
    const bool from_flag = !ctx.global.profile.empty();
    const std::string name = from_flag ? ctx.global.profile : (env != nullptr ? env : "");
    if (name.empty()) {
        return true;
    }
    const Status valid = profile::check_profile_name(name);
    if (!valid) {
        // No command accepts this name, so no fix may suggest one that uses it.
        const char* origin = from_flag ? " (from --profile)" : " (from $PJ_ATS_PROFILE)";
        report.fail("profile",
                    valid.error().message + origin,
                    "pick a name made of letters, digits, '_' and '-', e.g. --profile work",
                    ExitCode::config);
    }
    return static_cast<bool>(valid);
}

std::optional<profile::Profile>
check_profile(const Context& ctx, const profile::Config& config, StatusReport& report) {
    // The name and its origin as Settings resolved them (flag > env > stored > default).
    const auto settings = ctx.settings();
    const app::Setting resolved =
        settings ? (*settings)->profile_name()
                 : app::Setting{ctx.profile_name(config), app::Origin::default_value, ""};
    const std::string& name = resolved.value;
    std::string origin = "default";
    std::string origin_text = "the built-in default";
    switch (resolved.origin) {
    case app::Origin::flag:
        origin = resolved.where;
        origin_text = "from " + resolved.where;
        break;
    case app::Origin::env:
        origin = resolved.where;
        origin_text = "from $" + resolved.where;
        break;
    case app::Origin::stored:
        origin = resolved.where;
        origin_text = resolved.where + " in the config file";
        break;
    default:
        break;
    }
    const auto it = config.profiles.find(name);
    JsonWriter json;
    json.begin_object().key("name").value(name).key("origin").value(origin);
    json.key("exists").value(it != config.profiles.end()).end_object();
    report.set_section("profile", json.str());
    if (it == config.profiles.end()) {
        std::string known;
        for (const auto& [other, unused] : config.profiles) {
            known += (known.empty() ? "" : ", ") + other;
        }
        report.fail("profile",
                    "'" + name + "' (" + origin_text + ") is not in the config file"
                        + (known.empty() ? "" : "; profiles: " + known),
                    command_prefix(ctx)
                        + (ctx.global.profile.empty() ? " --profile " + shell_word(name) : "")
                        + " configure source --dir PATH",
                    ExitCode::config);
        return std::nullopt;
    }
    report.ok("profile", name + " (" + origin_text + ")");
    return it->second;
}

void check_source(const profile::Profile& profile, Context& ctx, StatusReport& report) {
    const profile::SourceSettings& settings = profile.source;
    const std::string fix = command_prefix(ctx) + " configure source --dir PATH";
    const auto effective = settings_for(ctx, profile);
    const app::Setting url = effective->source_url();
    const bool url_from_env = settings.kind == "url" && url.origin == app::Origin::env;
    const std::string location = settings.kind == "url" ? url.value : settings.dir;
    bool ok = false;
    if (settings.kind.empty()) {
        report.fail("source", "no candidate source configured", fix, ExitCode::config);
    } else if (auto source = open_source(ctx, profile); !source) {
        report.fail("source", source.error().message, fix, exit_code_for(source.error()));
    } else if (settings.kind == "dir") {
        std::error_code ec;
        if (!std::filesystem::is_directory(settings.dir, ec)) {
            report.fail("source",
                        "dir " + settings.dir + " does not exist or is not a directory",
                        "restore the folder, or " + fix,
                        ExitCode::config);
        } else if (!std::filesystem::is_directory(settings.dir + "/candidates", ec)) {
            ok = true;
            report.warn("source",
                        "dir " + settings.dir + " has no candidates/ folder",
                        "put the export's candidates/<id>.json records in " + settings.dir
                            + "/candidates");
        } else {
            ok = true;
            report.ok("source", "dir " + settings.dir + " (candidates/ present)");
        }
    } else {
        // A url source: GET {url}/ is not part of the contract, so nothing is fetched.
        ok = true;
        std::string detail = settings.kind + " " + location;
        if (url_from_env) {
            detail += " (from $PJ_ATS_SOURCE_URL)";
        }
        auto token = effective->source_token();
        if (token) {
            detail += ", token "
                      + (token->origin == profile::SecretOrigin::none
                             ? std::string("none")
                             : describe_origin(*token, "token_command"));
        }
        report.ok("source", detail + "; configured, not checked live");
    }
    JsonWriter json;
    json.begin_object().key("kind");
    value_or_null(json,
                  settings.kind.empty() ? std::nullopt : std::optional<std::string>(settings.kind));
    json.key("location");
    value_or_null(json, location.empty() ? std::nullopt : std::optional<std::string>(location));
    json.key("ok").value(ok).end_object();
    report.set_section("source", json.str());
}

void check_links(const profile::Profile& profile, const Context& ctx, StatusReport& report) {
    JsonWriter json;
    json.begin_array();
    for (const auto& [job, posting] : profile.links) {
        json.begin_object().key("job_id").value(job).key("posting_id").value(posting).end_object();
    }
    json.end_array();
    report.set_section("links", json.str());
    const std::size_t count = profile.links.size();
    if (count == 0) {
        report.ok("links", "no linked jobs");
        return;
    }
    if (!profile.lever) {
        report.fail("links",
                    std::to_string(count) + " jobs are linked but Lever is not configured",
                    "printf '%s' \"$KEY\" | " + command_prefix(ctx)
                        + " configure lever --api-key-stdin --perform-as-email EMAIL",
                    ExitCode::config);
    } else {
        report.ok("links", std::to_string(count) + (count == 1 ? " linked job" : " linked jobs"));
    }
    for (const auto& [job, posting] : profile.links) {
        report.ok("link", "Purpose Jobs job " + job + " -> Lever posting " + posting);
    }
}

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
        const std::string hint = hint_text(opened.error().hint);
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
        report_sends_to_fix(failed, pending, ctx, report);
        report_unreported_hires(**opened, ctx, report);
        if (auto listed = (*opened)->list(ledger::State::review); listed) {
            review = std::move(*listed);
        }
        for (std::size_t i = 0; i < review.size() && i < k_review_lines; ++i) {
            report_review(review[i], ctx, report);
        }
        if (review.size() > k_review_lines) {
            report.warn("ledger.review",
                        "... and " + std::to_string(review.size() - k_review_lines) + " more",
                        "see them all with `pj-ats --json status`");
        }
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
    json.key("review").begin_array();
    for (const auto& entry : review) {
        json.begin_object().key("candidate_id").value(entry.key.candidate_id);
        json.key("target").value(entry.key.target).key("destination").value(entry.key.destination);
        json.key("error").value(entry.last_error).key("attempts").value(entry.attempts);
        json.key("updated_at").value(entry.updated_at).end_object();
    }
    json.end_array();
    json.key("failed");
    write_sends_json(json, failed);
    json.key("pending");
    write_sends_json(json, pending);
    json.end_object();
    report.set_section("ledger", json.str());
    check_last_sync(last_sync, last_sync_counts(sync_counts, report), profile, ctx, report);
}

} // namespace pjats::cli
