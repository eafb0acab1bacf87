// track: merging answers into the ledger's tracking rows, and the hire window.
#include <pjats/track/track.hpp>

#include <cstdio>
#include <ctime>

namespace pjats::track {

ledger::Tracked merge(const std::optional<ledger::Tracked>& before, const Observation& seen,
                      std::int64_t now) {
    ledger::Tracked row;
    row.key = seen.key;
    row.remote_id = seen.remote_id;
    row.state = seen.state;
    row.stage = seen.stage;
    row.job = seen.job;
    row.link = seen.link;
    row.checked_at = now;
    row.state_since = before && before->state == seen.state ? before->state_since : now;
    row.hired_seen_at = before ? before->hired_seen_at : 0;
    if (seen.state == "hired" && row.hired_seen_at == 0) {
        row.hired_seen_at = now;
    }
    row.hired_at = seen.state == "hired" ? seen.hired_at : 0;
    if (seen.state == "lost" && before) {
        // Lost: the ATS no longer answers; keep what it said last for the reader.
        row.stage = before->stage;
        row.link = before->link;
        row.job = before->job.empty() ? row.job : before->job;
    }
    return row;
}

bool changed(const std::optional<ledger::Tracked>& before, const ledger::Tracked& after) {
    return !before || before->state != after.state || before->stage != after.stage;
}

std::int64_t hire_date(const ledger::Tracked& row, bool* from_ats) {
    if (from_ats != nullptr) {
        *from_ats = row.hired_at != 0;
    }
    return row.hired_at != 0 ? row.hired_at : row.hired_seen_at;
}

std::vector<ledger::Tracked> hires(const std::vector<ledger::Tracked>& rows, std::int64_t since,
                                   std::int64_t until) {
    std::vector<ledger::Tracked> out;
    for (const ledger::Tracked& row : rows) {
        const std::int64_t when = hire_date(row);
        if (row.state == "hired" && when >= since && (until == 0 || when < until)) {
            out.push_back(row);
        }
    }
    return out;
}

Result<std::int64_t> parse_date(const std::string& text) {
    int year = 0;
    int month = 0;
    int day = 0;
    char tail = 0;
    if (text.size() != 10
        || std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3
        || month < 1 || month > 12 || day < 1 || day > 31) {
        return make_error(ErrorKind::usage, "expected a date as YYYY-MM-DD, got '" + text + "'");
    }
    if (year < 1970) {
        // Well formed, but before anything pj-ats can have recorded (unix time 0).
        return make_error(ErrorKind::usage,
                          "'" + text + "' is before 1970-01-01, the earliest date accepted");
    }
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    const std::time_t t = timegm(&tm);
    std::tm check{};
    gmtime_r(&t, &check);
    if (check.tm_mday != day) {
        return make_error(ErrorKind::usage, "no such date: '" + text + "'");
    }
    return static_cast<std::int64_t>(t);
}

std::string format_time(std::int64_t unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

} // namespace pjats::track
