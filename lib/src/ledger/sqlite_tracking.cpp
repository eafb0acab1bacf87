// SqliteLedger: the `tracking` table (what `track` last saw in each ATS).

#include "ledger/sqlite_ledger.hpp"

#include "ledger/statement.hpp"

namespace pjats::ledger::detail {

Status SqliteLedger::put_tracked(const Tracked& t) {
    constexpr const char* sql = R"sql(
INSERT INTO tracking (account, candidate_id, target, destination, remote_id, state, stage, job,
                      link, state_since, hired_seen_at, hired_at, checked_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
ON CONFLICT (account, candidate_id, target, destination) DO UPDATE SET
    remote_id = excluded.remote_id, state = excluded.state, stage = excluded.stage,
    job = excluded.job, link = excluded.link, state_since = excluded.state_since,
    hired_seen_at = excluded.hired_seen_at, hired_at = excluded.hired_at,
    checked_at = excluded.checked_at
)sql";
    const std::lock_guard<std::mutex> lock(m_mutex);
    // Deferred: a tracking row is an observation a later track asks again; lost to a power
    // cut it costs nothing but that (synced with the next durable write or checkpoint).
    const DeferredSync deferred(m_db.get(), true);
    Statement stmt(m_db.get(), sql);
    stmt.bind(1, t.key.account)
        .bind(2, t.key.candidate_id)
        .bind(3, t.key.target)
        .bind(4, t.key.destination)
        .bind(5, t.remote_id)
        .bind(6, t.state)
        .bind(7, t.stage)
        .bind(8, t.job)
        .bind(9, t.link)
        .bind(10, t.state_since)
        .bind(11, t.hired_seen_at)
        .bind(12, t.hired_at)
        .bind(13, t.checked_at);
    const int rc = stmt.run();
    if (rc != SQLITE_DONE) {
        return write_error(rc);
    }
    return {};
}

Result<std::vector<Tracked>> SqliteLedger::tracked() {
    constexpr const char* sql = R"sql(
SELECT account, candidate_id, target, destination, remote_id, state, stage, job, link,
       state_since, hired_seen_at, hired_at, checked_at
FROM tracking ORDER BY candidate_id, target, destination, account
)sql";
    const std::lock_guard<std::mutex> lock(m_mutex);
    Statement stmt(m_db.get(), sql);
    std::vector<Tracked> rows;
    int rc = SQLITE_OK;
    while ((rc = stmt.step()) == SQLITE_ROW) {
        Tracked t;
        t.key = Key(stmt.text(1), stmt.text(2), stmt.text(3), stmt.text(0));
        t.remote_id = stmt.text(4);
        t.state = stmt.text(5);
        t.stage = stmt.text(6);
        t.job = stmt.text(7);
        t.link = stmt.text(8);
        t.state_since = stmt.integer(9);
        t.hired_seen_at = stmt.integer(10);
        t.hired_at = stmt.integer(11);
        t.checked_at = stmt.integer(12);
        rows.push_back(std::move(t));
    }
    if (rc != SQLITE_DONE) {
        return read_error(rc);
    }
    return rows;
}

} // namespace pjats::ledger::detail
