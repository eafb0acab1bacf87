// `status`: when the last completed sync ran, what it did (ledger meta "last_sync" and
// "last_sync_counts"), and whether linked jobs are being synced at all.
#include "status/report.hpp"

#include <pjats/sync/sync.hpp>

#include <time.h>

#include <algorithm>
#include <ctime>

namespace pjats::cli {

namespace {

constexpr std::int64_t k_stale_sync_seconds = 86400; // linked jobs unsynced for a day

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

} // namespace

std::string last_sync_counts(const std::string& stored, StatusReport& report) {
    const auto members = stored.empty() ? std::nullopt : sync::parse_counts_json(stored);
    if (!members) {
        report.set_section("last_sync_counts", "null");
        return {};
    }
    JsonWriter json;
    json.begin_object();
    std::string text;
    for (const auto& [name, value] : *members) {
        json.key(name).value(value);
        if (value != 0 && name != "planned") {
            std::string word = name;
            std::replace(word.begin(), word.end(), '_', ' ');
            if (value == 1
                && (name == "jobs" || name == "applications" || name == "source_errors")) {
                word.pop_back(); // "1 job", not "1 jobs"
            }
            text += (text.empty() ? "" : ", ") + std::to_string(value) + " " + word;
        }
    }
    report.set_section("last_sync_counts", json.end_object().str());
    return text.empty() ? "nothing to do" : text;
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

} // namespace pjats::cli
