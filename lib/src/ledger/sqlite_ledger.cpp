// The send ledger's reads and writes. Every value reaches SQLite as a bound parameter.
// Writes are single upserts, so a mark_* is atomic without an explicit transaction, and
// SQLite takes the write lock when the statement starts (waiting up to the busy timeout).

#include "ledger/sqlite_ledger.hpp"

#include "ledger/statement.hpp"

#include <pjats/http/secrets.hpp>

#include <chrono>
#include <utility>

namespace pjats::ledger::detail {

namespace {

constexpr const char* k_entry_columns =
    "candidate_id, target, destination, state, remote_id, lookup_hint, last_error, "
    "temporary, attempts, updated_at";

std::int64_t now_seconds() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::optional<State> parse_state(const std::string& text) {
    for (State state : {State::pending, State::sent, State::failed, State::review}) {
        if (text == to_string(state)) {
            return state;
        }
    }
    return std::nullopt;
}

// For one write: `PRAGMA synchronous = NORMAL` (the commit reaches the WAL without an
// fsync), then back to the connection's FULL. Inactive when `active` is false.
class DeferredSync {
  public:
    DeferredSync(sqlite3* db, bool active)
        : m_db(active ? db : nullptr) {
        if (m_db != nullptr) {
            static_cast<void>(exec_sql(m_db, "PRAGMA synchronous = NORMAL"));
        }
    }

    DeferredSync(const DeferredSync&) = delete;
    DeferredSync& operator=(const DeferredSync&) = delete;

    ~DeferredSync() {
        if (m_db != nullptr) {
            static_cast<void>(exec_sql(m_db, "PRAGMA synchronous = FULL"));
        }
    }

  private:
    sqlite3* m_db;
};

// Reads the current row of a statement selecting k_entry_columns.
Result<Entry> read_entry(const Statement& stmt) {
    Entry entry;
    entry.key.candidate_id = stmt.text(0);
    entry.key.target = stmt.text(1);
    entry.key.destination = stmt.text(2);
    const std::string state = stmt.text(3);
    const std::optional<State> parsed = parse_state(state);
    if (!parsed) {
        return make_error(ErrorKind::failure, "ledger row has an unknown state '" + state + "'");
    }
    entry.state = *parsed;
    entry.remote_id = stmt.text(4);
    entry.lookup_hint = stmt.text(5);
    entry.last_error = stmt.text(6);
    entry.temporary = stmt.integer(7) != 0;
    entry.attempts = static_cast<int>(stmt.integer(8));
    entry.updated_at = stmt.integer(9);
    return entry;
}

std::string select_entries(const char* where_and_order) {
    return std::string("SELECT ") + k_entry_columns + " FROM sends " + where_and_order;
}

} // namespace

SqliteLedger::SqliteLedger(SqliteDb db, std::string path)
    : m_db(std::move(db)),
      m_path(std::move(path)) {}

Error SqliteLedger::read_error(int rc) const {
    return sqlite_error(m_db.get(), rc, ErrorKind::failure, "cannot read ledger " + m_path);
}

Error SqliteLedger::write_error(int rc) const {
    return sqlite_error(m_db.get(), rc, ErrorKind::failure, "cannot write ledger " + m_path);
}

template <typename BindRest>
Status SqliteLedger::write_keyed(const char* sql,
                                 const Key& key,
                                 Durability durability,
                                 BindRest bind_rest) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    const DeferredSync deferred(m_db.get(), durability == Durability::deferred);
    Statement stmt(m_db.get(), sql);
    stmt.bind(1, key.candidate_id).bind(2, key.target).bind(3, key.destination);
    bind_rest(stmt);
    const int rc = stmt.run();
    if (rc != SQLITE_DONE) {
        return write_error(rc);
    }
    return {};
}

Result<std::optional<Entry>> SqliteLedger::get(const Key& key) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    const std::string sql =
        select_entries("WHERE candidate_id = ?1 AND target = ?2 AND destination = ?3");
    Statement stmt(m_db.get(), sql.c_str());
    stmt.bind(1, key.candidate_id).bind(2, key.target).bind(3, key.destination);
    const int rc = stmt.step();
    if (rc == SQLITE_DONE) {
        return std::optional<Entry>();
    }
    if (rc != SQLITE_ROW) {
        return read_error(rc);
    }
    auto entry = read_entry(stmt);
    if (!entry) {
        return std::move(entry).error();
    }
    return std::optional<Entry>(std::move(*entry));
}

Status SqliteLedger::mark_pending(const Key& key, const std::string& lookup_hint) {
    // A new attempt: the previous error no longer describes the row; the remote id (if an
    // earlier attempt got one) and a known lookup hint are kept.
    constexpr const char* sql = R"sql(
INSERT INTO sends (candidate_id, target, destination, state, lookup_hint, attempts,
                   created_at, updated_at)
VALUES (?1, ?2, ?3, 'pending', ?4, 1, ?5, ?5)
ON CONFLICT (candidate_id, target, destination) DO UPDATE SET
    state = 'pending',
    lookup_hint = CASE WHEN excluded.lookup_hint <> '' THEN excluded.lookup_hint
                       ELSE sends.lookup_hint END,
    last_error = '',
    temporary = 0,
    attempts = sends.attempts + 1,
    updated_at = excluded.updated_at
)sql";
    return write_keyed(sql, key, Durability::synced, [&](Statement& stmt) {
        stmt.bind(4, lookup_hint).bind(5, now_seconds());
    });
}

Status SqliteLedger::mark_sent(const Key& key, const std::string& remote_id) {
    constexpr const char* sql = R"sql(
INSERT INTO sends (candidate_id, target, destination, state, remote_id, created_at, updated_at)
VALUES (?1, ?2, ?3, 'sent', ?4, ?5, ?5)
ON CONFLICT (candidate_id, target, destination) DO UPDATE SET
    state = 'sent',
    remote_id = excluded.remote_id,
    last_error = '',
    temporary = 0,
    updated_at = excluded.updated_at
)sql";
    return write_keyed(sql, key, Durability::deferred, [&](Statement& stmt) {
        stmt.bind(4, remote_id).bind(5, now_seconds());
    });
}

Status SqliteLedger::mark_failed(const Key& key, const std::string& error, bool temporary) {
    constexpr const char* sql = R"sql(
INSERT INTO sends (candidate_id, target, destination, state, last_error, temporary,
                   created_at, updated_at)
VALUES (?1, ?2, ?3, 'failed', ?4, ?5, ?6, ?6)
ON CONFLICT (candidate_id, target, destination) DO UPDATE SET
    state = 'failed',
    last_error = excluded.last_error,
    temporary = excluded.temporary,
    updated_at = excluded.updated_at
)sql";
    return write_keyed(sql, key, Durability::deferred, [&](Statement& stmt) {
        stmt.bind(4, http::scrub_secrets(error))
            .bind(5, std::int64_t{temporary ? 1 : 0})
            .bind(6, now_seconds());
    });
}

Status SqliteLedger::mark_review(const Key& key, const std::string& error) {
    constexpr const char* sql = R"sql(
INSERT INTO sends (candidate_id, target, destination, state, last_error, created_at, updated_at)
VALUES (?1, ?2, ?3, 'review', ?4, ?5, ?5)
ON CONFLICT (candidate_id, target, destination) DO UPDATE SET
    state = 'review',
    last_error = excluded.last_error,
    temporary = 0,
    updated_at = excluded.updated_at
)sql";
    return write_keyed(sql, key, Durability::deferred, [&](Statement& stmt) {
        stmt.bind(4, http::scrub_secrets(error)).bind(5, now_seconds());
    });
}

Status SqliteLedger::forget(const Key& key) {
    constexpr const char* sql =
        "DELETE FROM sends WHERE candidate_id = ?1 AND target = ?2 AND destination = ?3";
    return write_keyed(sql, key, Durability::synced, [](Statement&) {});
}

Result<Counts> SqliteLedger::counts() {
    const std::lock_guard<std::mutex> lock(m_mutex);
    Statement stmt(m_db.get(), "SELECT state, COUNT(*) FROM sends GROUP BY state");
    Counts counts;
    int rc = SQLITE_OK;
    while ((rc = stmt.step()) == SQLITE_ROW) {
        const std::optional<State> state = parse_state(stmt.text(0));
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

Result<std::vector<Entry>> SqliteLedger::list(std::optional<State> state) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    constexpr const char* order = "ORDER BY updated_at, candidate_id, target, destination";
    const std::string sql = select_entries(state ? "WHERE state = ?1 " : "") + order;
    Statement stmt(m_db.get(), sql.c_str());
    if (state) {
        stmt.bind(1, std::string(to_string(*state)));
    }
    std::vector<Entry> entries;
    int rc = SQLITE_OK;
    while ((rc = stmt.step()) == SQLITE_ROW) {
        auto entry = read_entry(stmt);
        if (!entry) {
            return std::move(entry).error();
        }
        entries.push_back(std::move(*entry));
    }
    if (rc != SQLITE_DONE) {
        return read_error(rc);
    }
    return entries;
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
    stmt.bind(1, job_id).bind(2, cursor).bind(3, now_seconds());
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

} // namespace pjats::ledger::detail
