// The SQLite ledger's counts, sync cursors and metadata.

#include "ledger/sqlite_ledger.hpp"
#include "ledger/statement.hpp"

#include <pjats/core/clock.hpp>

#include <string>

namespace pjats::ledger::detail {

Result<Counts> SqliteLedger::counts() {
    const std::lock_guard<std::mutex> lock(m_mutex);
    Statement stmt(m_db.get(), "SELECT state, COUNT(*) FROM sends GROUP BY state");
    Counts counts;
    int rc = SQLITE_OK;
    while ((rc = stmt.step()) == SQLITE_ROW) {
        const std::optional<State> state = state_from_text(stmt.text(0));
        const std::int64_t n = stmt.integer(1);
        if (!state) {
            continue; // the CHECK constraint keeps unknown states out
        }
        switch (*state) {
        case State::pending:
            counts.pending = n;
            break;
        case State::sent:
            counts.sent = n;
            break;
        case State::failed:
            counts.failed = n;
            break;
        case State::review:
            counts.review = n;
            break;
        }
    }
    if (rc != SQLITE_DONE) {
        return read_error(rc);
    }
    return counts;
}

Result<std::string> SqliteLedger::lookup_text(const char* sql, const std::string& name) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    Statement stmt(m_db.get(), sql);
    stmt.bind(1, name);
    const int rc = stmt.step();
    if (rc == SQLITE_DONE) {
        return std::string();
    }
    if (rc != SQLITE_ROW) {
        return read_error(rc);
    }
    return stmt.text(0);
}

Result<std::string> SqliteLedger::cursor(const std::string& job_id) {
    return lookup_text("SELECT cursor FROM cursors WHERE job_id = ?1", job_id);
}

Status SqliteLedger::set_cursor(const std::string& job_id, const std::string& cursor) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    Statement stmt(m_db.get(), R"sql(
INSERT INTO cursors (job_id, cursor, updated_at) VALUES (?1, ?2, ?3)
ON CONFLICT (job_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
)sql");
    stmt.bind(1, job_id).bind(2, cursor).bind(3, unix_seconds());
    const int rc = stmt.run();
    if (rc != SQLITE_DONE) {
        return write_error(rc);
    }
    return {};
}

Result<std::string> SqliteLedger::meta(const std::string& name) {
    return lookup_text("SELECT value FROM meta WHERE name = ?1", name);
}

Status SqliteLedger::set_meta(const std::string& name, const std::string& value) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    Statement stmt(m_db.get(), R"sql(
INSERT INTO meta (name, value) VALUES (?1, ?2)
ON CONFLICT (name) DO UPDATE SET value = excluded.value
)sql");
    stmt.bind(1, name).bind(2, value);
    const int rc = stmt.run();
    if (rc != SQLITE_DONE) {
        return write_error(rc);
    }
    return {};
}

Result<bool> SqliteLedger::add_meta(const std::string& name, const std::string& value) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    Statement stmt(m_db.get(), "INSERT INTO meta (name, value) VALUES (?1, ?2) "
                               "ON CONFLICT (name) DO NOTHING");
    stmt.bind(1, name).bind(2, value);
    const int rc = stmt.run();
    if (rc != SQLITE_DONE) {
        return write_error(rc);
    }
    return sqlite3_changes(m_db.get()) == 1;
}

Result<std::int64_t> SqliteLedger::bump_serial() {
    const std::lock_guard<std::mutex> lock(m_mutex);
    // Deferred (no sync of its own): the run's first synced write — its first claim — or
    // the checkpoint when the ledger closes makes it durable. Lost to a power cut in that
    // moment, the profile may remember a serial the ledger lost: the next run is refused as
    // an older copy and says so (docs/ledger.md, "Generation").
    const DeferredSync deferred(m_db.get(), true);
    Statement stmt(m_db.get(), "INSERT INTO meta (name, value) VALUES ('serial', '1') "
                               "ON CONFLICT (name) DO UPDATE SET value = "
                               "CAST(CAST(value AS INTEGER) + 1 AS TEXT) RETURNING value");
    const int rc = stmt.step();
    if (rc != SQLITE_ROW) {
        return write_error(rc);
    }
    const std::string value = stmt.text(0);
    if (const int done = stmt.step(); done != SQLITE_DONE) {
        return write_error(done);
    }
    return static_cast<std::int64_t>(std::stoll(value));
}

} // namespace pjats::ledger::detail
