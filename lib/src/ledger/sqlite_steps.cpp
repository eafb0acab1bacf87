// Follow-up steps of a send in the SQLite ledger (docs/ledger.md, "Steps").

#include "ledger/sqlite_ledger.hpp"
#include "ledger/statement.hpp"
#include "ledger/steps_common.hpp"

#include <pjats/http/secrets.hpp>

#include <chrono>

namespace pjats::ledger::detail {

namespace {

constexpr const char* k_step_key =
    "account = ?1 AND candidate_id = ?2 AND target = ?3 AND destination = ?4";

std::int64_t clock_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void bind_key(Statement& stmt, const Key& key) {
    stmt.bind(1, key.account).bind(2, key.candidate_id).bind(3, key.target).bind(4, key.destination);
}

// Reads a step from columns `first`.. in PJATS_STEP_COLUMNS order.
Step read_step(const Statement& stmt, int first) {
    Step step;
    step.name = stmt.text(first);
    step.state = step_state_from(stmt.text(first + 1));
    step.remote_id = stmt.text(first + 2);
    step.holder = stmt.text(first + 3);
    step.version = stmt.integer(first + 4);
    step.attempt_at_ms = stmt.integer(first + 5);
    step.last_error = stmt.text(first + 6);
    return step;
}

} // namespace

Status SqliteLedger::plan_steps(const Key& key, const std::vector<std::string>& names) {
    std::uint64_t seq = 0;
    Status planned = [&]() -> Status {
        const std::lock_guard<std::mutex> lock(m_mutex);
        const DeferredSync deferred(m_db.get(), true); // synced below, grouped
        Transaction tx(m_db.get());
        if (tx.begin_rc() != SQLITE_OK) {
            return write_error(tx.begin_rc());
        }
        const std::string drop = std::string("DELETE FROM send_steps WHERE ") + k_step_key;
        Statement del(m_db.get(), drop.c_str());
        bind_key(del, key);
        if (const int rc = del.run(); rc != SQLITE_DONE) {
            return write_error(rc);
        }
        for (const std::string& name : names) {
            Statement add(m_db.get(), R"sql(
INSERT INTO send_steps (account, candidate_id, target, destination, step, state, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, 'todo', ?6)
)sql");
            bind_key(add, key);
            add.bind(5, name).bind(6, clock_ms() / 1000);
            if (const int rc = add.run(); rc != SQLITE_DONE) {
                return write_error(rc);
            }
        }
        if (const int rc = tx.commit(); rc != SQLITE_OK && rc != SQLITE_DONE) {
            return write_error(rc);
        }
        seq = committed();
        return {};
    }();
    if (!planned) {
        return planned;
    }
    return sync_wal(seq);
}

Result<std::vector<Step>> SqliteLedger::steps(const Key& key) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    const std::string sql = std::string("SELECT " PJATS_STEP_COLUMNS " FROM send_steps WHERE ")
                            + k_step_key + " ORDER BY step";
    Statement stmt(m_db.get(), sql.c_str());
    bind_key(stmt, key);
    std::vector<Step> out;
    int rc = 0;
    while ((rc = stmt.step()) == SQLITE_ROW) {
        out.push_back(read_step(stmt, 0));
    }
    if (rc != SQLITE_DONE) {
        return read_error(rc);
    }
    return out;
}

Result<bool> SqliteLedger::claim_step(const Key& key, const std::string& name,
                                      std::int64_t expected_version) {
    std::uint64_t seq = 0;
    bool claimed = false;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        const DeferredSync deferred(m_db.get(), true); // synced below, grouped
        const std::string sql = std::string(R"sql(
UPDATE send_steps SET state = 'pending', holder = ?6, version = version + 1, attempt_at = ?7,
    last_error = '', updated_at = ?8
WHERE )sql") + k_step_key + " AND step = ?5 AND version = ?9";
        Statement stmt(m_db.get(), sql.c_str());
        bind_key(stmt, key);
        const std::int64_t now = clock_ms();
        stmt.bind(5, name).bind(6, m_run.run_id).bind(7, now).bind(8, now / 1000).bind(
            9, expected_version);
        if (const int rc = stmt.run(); rc != SQLITE_DONE) {
            return write_error(rc);
        }
        claimed = sqlite3_changes(m_db.get()) == 1;
        seq = committed();
    }
    PJATS_TRY(sync_wal(seq));
    return claimed;
}

Status SqliteLedger::finish_step(const Key& key, const std::string& name, StepState state,
                                 const std::string& remote_id, const std::string& error) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    // Deferred like an outcome: lost to a power cut, the step stays pending with a dead
    // holder and is looked up (docs/ledger.md, "Steps").
    const DeferredSync deferred(m_db.get(), true);
    const std::string sql = std::string(R"sql(
UPDATE send_steps SET state = ?7, remote_id = ?8, last_error = ?9, updated_at = ?10
WHERE )sql") + k_step_key + " AND step = ?5 AND holder = ?6 AND state = 'pending'";
    Statement stmt(m_db.get(), sql.c_str());
    bind_key(stmt, key);
    stmt.bind(5, name)
        .bind(6, m_run.run_id)
        .bind(7, std::string(to_string(state)))
        .bind(8, remote_id)
        .bind(9, http::scrub_secrets(error))
        .bind(10, clock_ms() / 1000);
    if (const int rc = stmt.run(); rc != SQLITE_DONE) {
        return write_error(rc);
    }
    if (sqlite3_changes(m_db.get()) == 0) {
        return step_conflict(key, name);
    }
    return {};
}

Result<std::vector<KeyedStep>> SqliteLedger::open_steps() {
    const std::lock_guard<std::mutex> lock(m_mutex);
    Statement stmt(m_db.get(),
                   "SELECT s.account, s.candidate_id, s.target, s.destination, s.step, s.state,"
                   " s.remote_id, s.holder, s.version, s.attempt_at, s.last_error"
                   " FROM send_steps s JOIN sends r ON r.account = s.account"
                   " AND r.candidate_id = s.candidate_id AND r.target = s.target"
                   " AND r.destination = s.destination"
                   " WHERE s.state <> 'done' AND r.state = 'sent'"
                   " ORDER BY s.candidate_id, s.target, s.destination, s.account, s.step");
    std::vector<KeyedStep> out;
    int rc = 0;
    while ((rc = stmt.step()) == SQLITE_ROW) {
        KeyedStep item;
        item.key = Key{stmt.text(1), stmt.text(2), stmt.text(3), stmt.text(0)};
        item.step = read_step(stmt, 4);
        out.push_back(std::move(item));
    }
    if (rc != SQLITE_DONE) {
        return read_error(rc);
    }
    return out;
}

Result<std::vector<KeyedStep>> SqliteLedger::all_steps() {
    const std::lock_guard<std::mutex> lock(m_mutex);
    Statement stmt(m_db.get(),
                   "SELECT account, candidate_id, target, destination, " PJATS_STEP_COLUMNS
                   " FROM send_steps ORDER BY candidate_id, target, destination, account, step");
    std::vector<KeyedStep> out;
    int rc = 0;
    while ((rc = stmt.step()) == SQLITE_ROW) {
        KeyedStep item;
        item.key = Key{stmt.text(1), stmt.text(2), stmt.text(3), stmt.text(0)};
        item.step = read_step(stmt, 4);
        out.push_back(std::move(item));
    }
    if (rc != SQLITE_DONE) {
        return read_error(rc);
    }
    return out;
}

Result<bool> SqliteLedger::insert_step(const KeyedStep& item) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    Statement stmt(m_db.get(), R"sql(
INSERT INTO send_steps (account, candidate_id, target, destination, step, state, remote_id,
                        holder, version, attempt_at, last_error, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
ON CONFLICT DO NOTHING
)sql");
    bind_key(stmt, item.key);
    stmt.bind(5, item.step.name)
        .bind(6, std::string(to_string(item.step.state)))
        .bind(7, item.step.remote_id)
        .bind(8, item.step.holder)
        .bind(9, item.step.version < 1 ? std::int64_t{1} : item.step.version)
        .bind(10, item.step.attempt_at_ms)
        .bind(11, item.step.last_error)
        .bind(12, clock_ms() / 1000);
    if (const int rc = stmt.run(); rc != SQLITE_DONE) {
        return write_error(rc);
    }
    return sqlite3_changes(m_db.get()) == 1;
}

} // namespace pjats::ledger::detail
