// SqliteLedger: who a send is credited to (sends.credited_to, schema 3).

#include "ledger/sqlite_ledger.hpp"

#include "ledger/statement.hpp"

namespace pjats::ledger::detail {

Status SqliteLedger::record_credit(const Key& key, const std::string& credited_to) {
    constexpr const char* sql = R"sql(
UPDATE sends SET credited_to = ?5
WHERE account = ?1 AND candidate_id = ?2 AND target = ?3 AND destination = ?4 AND holder = ?6
)sql";
    const std::lock_guard<std::mutex> lock(m_mutex);
    // Deferred: a credit lost to a power cut leaves the claimed row as it was before it,
    // pending with a dead holder, which a re-run resolves like any unknown outcome.
    const DeferredSync deferred(m_db.get(), true);
    Statement stmt(m_db.get(), sql);
    stmt.bind(1, key.account)
        .bind(2, key.candidate_id)
        .bind(3, key.target)
        .bind(4, key.destination)
        .bind(5, credited_to)
        .bind(6, m_run.run_id);
    const int rc = stmt.run();
    if (rc != SQLITE_DONE) {
        return write_error(rc);
    }
    if (sqlite3_changes(m_db.get()) == 0) {
        return make_error(ErrorKind::conflict, "the ledger row of candidate " + key.candidate_id
                                                   + " is not held by this run");
    }
    return {};
}

} // namespace pjats::ledger::detail
