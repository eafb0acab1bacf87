// SqliteLedger: what export/import read and write, and the (local, always free) sync lock.

#include "ledger/sqlite_ledger.hpp"

#include "ledger/statement.hpp"

#include <utility>

namespace pjats::ledger::detail {

Result<Ledger::Pairs> SqliteLedger::read_pairs(const char* sql) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    Statement stmt(m_db.get(), sql);
    Pairs pairs;
    int rc = SQLITE_OK;
    while ((rc = stmt.step()) == SQLITE_ROW) {
        pairs.emplace_back(stmt.text(0), stmt.text(1));
    }
    if (rc != SQLITE_DONE) {
        return read_error(rc);
    }
    return pairs;
}

Result<Ledger::Pairs> SqliteLedger::all_cursors() {
    return read_pairs("SELECT job_id, cursor FROM cursors ORDER BY job_id");
}

Result<Ledger::Pairs> SqliteLedger::all_meta() {
    return read_pairs("SELECT name, value FROM meta ORDER BY name");
}

Result<bool> SqliteLedger::insert_entry(const Entry& entry) {
    constexpr const char* sql = R"sql(
INSERT INTO sends (account, candidate_id, target, destination, state, remote_id, lookup_hint,
                   last_error, temporary, attempts, created_at, updated_at, holder, version,
                   attempt_at, previous_remote_ids, credited_to)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13, ?14, ?15, ?16)
ON CONFLICT (account, candidate_id, target, destination) DO NOTHING
)sql";
    const std::lock_guard<std::mutex> lock(m_mutex);
    Statement stmt(m_db.get(), sql);
    stmt.bind(1, entry.key.account)
        .bind(2, entry.key.candidate_id)
        .bind(3, entry.key.target)
        .bind(4, entry.key.destination)
        .bind(5, std::string(to_string(entry.state)))
        .bind(6, entry.remote_id)
        .bind(7, entry.lookup_hint)
        .bind(8, entry.last_error)
        .bind(9, std::int64_t{entry.temporary ? 1 : 0})
        .bind(10, std::int64_t{entry.attempts})
        .bind(11, entry.updated_at)
        .bind(12, entry.holder)
        .bind(13, entry.version)
        .bind(14, entry.attempt_at_ms)
        .bind(15, entry.previous_remote_ids)
        .bind(16, entry.credited_to);
    const int rc = stmt.run();
    if (rc != SQLITE_DONE) {
        return write_error(rc);
    }
    return sqlite3_changes(m_db.get()) == 1;
}

Result<bool> SqliteLedger::try_sync_lock(const std::string& /*scope*/) {
    return true; // a local file: the caller's flock (core::RunLock) already excludes
}

} // namespace pjats::ledger::detail
