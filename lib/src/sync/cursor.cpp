// Which sync outcomes are final, and how far a job's cursor may move past them.

#include <pjats/sync/sync.hpp>

namespace pjats::sync {

bool is_final(const send::ItemReport& report) {
    switch (report.status) {
    case send::ItemStatus::sent:
    case send::ItemStatus::found_existing:
    case send::ItemStatus::skipped:
    case send::ItemStatus::review:
        return true;
    case send::ItemStatus::dry_run:
    case send::ItemStatus::in_flight:
        return false;
    case send::ItemStatus::failed:
        return !send::is_retryable(report.error);
    }
    return false;
}

std::string advance_cursor(const std::string& since, const std::vector<Attempt>& attempts) {
    std::string cursor = since;
    for (const Attempt& attempt : attempts) {
        if (!attempt.final) {
            break;
        }
        cursor = attempt.cursor;
    }
    return cursor;
}

} // namespace pjats::sync
