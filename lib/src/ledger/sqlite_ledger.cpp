// The send ledger's reads and writes. Every value reaches SQLite as a bound parameter.
// Writes are single statements, so each is atomic without an explicit transaction, and
// SQLite takes the write lock when the statement starts (waiting up to the busy timeout).
// Claims are compare-and-swaps on `version`; outcome writes are fenced by `holder`.

#include "ledger/sqlite_ledger.hpp"

#include "ledger/statement.hpp"

#include <pjats/http/secrets.hpp>

#include <chrono>
#include <utility>

namespace pjats::ledger {
std::string process_start_time(std::int64_t pid); // run.cpp
} // namespace pjats::ledger

namespace pjats::ledger::detail {

namespace {

constexpr const char* k_entry_columns =
    "candidate_id, target, destination, state, remote_id, lookup_hint, last_error, "
    "temporary, attempts, updated_at, account, holder, version, attempt_at, "
    "previous_remote_ids, credited_to";

constexpr const char* k_key_match =
    "account = ?1 AND candidate_id = ?2 AND target = ?3 AND destination = ?4";

std::int64_t now_seconds() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
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
    entry.key.account = stmt.text(10);
    entry.holder = stmt.text(11);
    entry.version = stmt.integer(12);
    entry.attempt_at_ms = stmt.integer(13);
    entry.previous_remote_ids = stmt.text(14);
    entry.credited_to = stmt.text(15);
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
Result<int> SqliteLedger::write_keyed(const char* sql,
                                      const Key& key,
                                      Durability durability,
                                      BindRest bind_rest) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    const DeferredSync deferred(m_db.get(), durability == Durability::deferred);
    Statement stmt(m_db.get(), sql);
    stmt.bind(1, key.account).bind(2, key.candidate_id).bind(3, key.target).bind(4, key.destination);
    bind_rest(stmt);
    const int rc = stmt.run();
    if (rc != SQLITE_DONE) {
        return write_error(rc);
    }
    return sqlite3_changes(m_db.get());
}

template <typename BindRest>
Status SqliteLedger::write_outcome(const char* sql, const Key& key, BindRest bind_rest) {
    auto changed = write_keyed(sql, key, Durability::deferred, [&](Statement& stmt) {
        stmt.bind(5, m_run.run_id).bind(6, now_seconds());
        bind_rest(stmt);
    });
    if (!changed) {
        return std::move(changed).error();
    }
    if (*changed == 0) {
        return make_error(ErrorKind::conflict,
                          "the ledger row of candidate " + key.candidate_id
                              + " was taken over by another run before this run recorded its "
                                "outcome");
    }
    return {};
}

template <typename Bind>
Status SqliteLedger::write_run(const char* sql, Durability durability, Bind bind) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    const DeferredSync deferred(m_db.get(), durability == Durability::deferred);
    Statement stmt(m_db.get(), sql);
    bind(stmt);
    const int rc = stmt.run();
    if (rc != SQLITE_DONE) {
        return write_error(rc);
    }
    return {};
}

Result<std::string> SqliteLedger::lineage() {
    return lookup_text("SELECT value FROM meta WHERE name = ?1", "lineage");
}

Status SqliteLedger::begin_run(const RunIdentity& run, const std::string& command) {
    m_run = run;
    // Deferred: a run row lost to a power cut only makes its claims look gone, which later
    // runs resolve as unknown outcomes.
    return write_run(R"sql(
INSERT INTO runs (run_id, host, pid, pid_start, command, started_at, heartbeat_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
)sql",
                     Durability::deferred, [&](Statement& stmt) {
                         stmt.bind(1, run.run_id)
                             .bind(2, run.host)
                             .bind(3, run.pid)
                             .bind(4, run.pid_start)
                             .bind(5, command)
                             .bind(6, now_ms());
                     });
}

void SqliteLedger::use_run(const RunIdentity& run) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_run = run;
}

Status SqliteLedger::heartbeat() {
    return write_run("UPDATE runs SET heartbeat_at = ?2 WHERE run_id = ?1", Durability::deferred,
                     [&](Statement& stmt) { stmt.bind(1, m_run.run_id).bind(2, now_ms()); });
}

Status SqliteLedger::end_run() {
    // Ended runs older than a day are of no use to anyone: prune them here.
    PJATS_TRY(write_run("UPDATE runs SET ended = 1, heartbeat_at = ?2 WHERE run_id = ?1",
                        Durability::deferred,
                        [&](Statement& stmt) { stmt.bind(1, m_run.run_id).bind(2, now_ms()); }));
    return write_run(
        "DELETE FROM runs WHERE ended = 1 AND heartbeat_at < ?1 AND run_id NOT IN "
        "(SELECT holder FROM sends WHERE state = 'pending')",
        Durability::deferred, [&](Statement& stmt) { stmt.bind(1, now_ms() - 86'400'000); });
}

Result<HolderStatus> SqliteLedger::holder_status(const std::string& holder) {
    HolderStatus status;
    if (holder.empty()) {
        return status;
    }
    if (holder == m_run.run_id) {
        status.state = HolderState::self;
        return status;
    }
    std::string host;
    std::int64_t pid = 0;
    std::string pid_start;
    bool ended = true;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        Statement stmt(m_db.get(),
                       "SELECT host, pid, pid_start, heartbeat_at, ended FROM runs WHERE run_id = ?1");
        stmt.bind(1, holder);
        const int rc = stmt.step();
        if (rc == SQLITE_DONE) {
            status.state = HolderState::gone;
            status.where = "a run no longer recorded";
            return status;
        }
        if (rc != SQLITE_ROW) {
            return read_error(rc);
        }
        host = stmt.text(0);
        pid = stmt.integer(1);
        pid_start = stmt.text(2);
        status.last_seen_ms = stmt.integer(3);
        ended = stmt.integer(4) != 0;
    }
    const RunIdentity& me = m_run.host.empty() ? this_process() : m_run;
    if (host == me.host) {
        status.where = "pid " + std::to_string(pid) + " on this machine";
        const bool running = !pid_start.empty() && process_start_time(pid) == pid_start;
        status.state = !ended && running ? HolderState::alive : HolderState::gone;
    } else {
        status.where = "pid " + std::to_string(pid) + " on another machine";
        const bool leased = status.last_seen_ms + k_lease_ms > now_ms();
        status.state = !ended && leased ? HolderState::alive : HolderState::gone;
    }
    return status;
}

Result<std::optional<Entry>> SqliteLedger::get(const Key& key) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    const std::string sql = select_entries("WHERE ") + k_key_match;
    Statement stmt(m_db.get(), sql.c_str());
    stmt.bind(1, key.account).bind(2, key.candidate_id).bind(3, key.target).bind(4, key.destination);
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

namespace {

// ?5 added to the space-separated hint list unless empty or already there.
constexpr const char* k_append_hint =
    "CASE WHEN ?5 = '' OR instr(' ' || lookup_hint || ' ', ' ' || ?5 || ' ') > 0 "
    "THEN lookup_hint WHEN lookup_hint = '' THEN ?5 ELSE lookup_hint || ' ' || ?5 END";

} // namespace

Result<bool> SqliteLedger::claim(const Key& key, const std::string& email,
                                 std::int64_t expected_version) {
    const auto bind = [&](Statement& stmt) {
        stmt.bind(5, email).bind(6, now_seconds()).bind(7, m_run.run_id).bind(8, now_ms());
        if (expected_version != 0) {
            stmt.bind(9, expected_version);
        }
    };
    if (expected_version == 0) {
        constexpr const char* sql = R"sql(
INSERT INTO sends (account, candidate_id, target, destination, state, lookup_hint, attempts,
                   created_at, updated_at, holder, version, attempt_at)
VALUES (?1, ?2, ?3, ?4, 'pending', ?5, 1, ?6, ?6, ?7, 1, ?8)
ON CONFLICT (account, candidate_id, target, destination) DO NOTHING
)sql";
        auto changed = write_keyed(sql, key, Durability::synced, bind);
        if (!changed) {
            return std::move(changed).error();
        }
        return *changed == 1;
    }
    const std::string sql = std::string(R"sql(
UPDATE sends SET state = 'pending', lookup_hint = )sql") + k_append_hint + R"sql(,
    last_error = '', temporary = 0, attempts = attempts + 1, updated_at = ?6, holder = ?7,
    version = version + 1, attempt_at = ?8
WHERE )sql" + k_key_match + " AND version = ?9";
    auto changed = write_keyed(sql.c_str(), key, Durability::synced, bind);
    if (!changed) {
        return std::move(changed).error();
    }
    return *changed == 1;
}

Status SqliteLedger::mark_pending(const Key& key, const std::string& lookup_hint) {
    const std::string sql = std::string(R"sql(
INSERT INTO sends (account, candidate_id, target, destination, state, lookup_hint, attempts,
                   created_at, updated_at, holder, version, attempt_at)
VALUES (?1, ?2, ?3, ?4, 'pending', ?5, 1, ?6, ?6, ?7, 1, ?8)
ON CONFLICT (account, candidate_id, target, destination) DO UPDATE SET
    state = 'pending', lookup_hint = )sql") + k_append_hint + R"sql(,
    last_error = '', temporary = 0, attempts = sends.attempts + 1,
    updated_at = excluded.updated_at, holder = excluded.holder, version = sends.version + 1,
    attempt_at = excluded.attempt_at
)sql";
    auto changed = write_keyed(sql.c_str(), key, Durability::synced, [&](Statement& stmt) {
        stmt.bind(5, lookup_hint).bind(6, now_seconds()).bind(7, m_run.run_id).bind(8, now_ms());
    });
    if (!changed) {
        return std::move(changed).error();
    }
    return {};
}

Status SqliteLedger::mark_sent(const Key& key, const std::string& remote_id) {
    constexpr const char* sql = R"sql(
INSERT INTO sends (account, candidate_id, target, destination, state, remote_id, created_at,
                   updated_at, holder)
VALUES (?1, ?2, ?3, ?4, 'sent', ?7, ?6, ?6, ?5)
ON CONFLICT (account, candidate_id, target, destination) DO UPDATE SET
    state = 'sent',
    previous_remote_ids = CASE
        WHEN sends.remote_id <> '' AND sends.remote_id <> excluded.remote_id
        THEN trim(sends.previous_remote_ids || ' ' || sends.remote_id)
        ELSE sends.previous_remote_ids END,
    remote_id = excluded.remote_id,
    last_error = '',
    temporary = 0,
    updated_at = excluded.updated_at
WHERE sends.holder = ?5
)sql";
    return write_outcome(sql, key, [&](Statement& stmt) { stmt.bind(7, remote_id); });
}

Status SqliteLedger::mark_failed(const Key& key, const std::string& error, bool temporary) {
    // A row with a remote id was sent before (this attempt was a forced re-send): the
    // earlier success stands, with the failure noted.
    constexpr const char* sql = R"sql(
INSERT INTO sends (account, candidate_id, target, destination, state, last_error, temporary,
                   created_at, updated_at, holder)
VALUES (?1, ?2, ?3, ?4, 'failed', ?7, ?8, ?6, ?6, ?5)
ON CONFLICT (account, candidate_id, target, destination) DO UPDATE SET
    state = CASE WHEN sends.remote_id <> '' THEN 'sent' ELSE 'failed' END,
    last_error = CASE WHEN sends.remote_id <> ''
        THEN 'a forced re-send failed; the earlier send (' || sends.remote_id
             || ') stands: ' || excluded.last_error
        ELSE excluded.last_error END,
    temporary = CASE WHEN sends.remote_id <> '' THEN 0 ELSE excluded.temporary END,
    updated_at = excluded.updated_at
WHERE sends.holder = ?5
)sql";
    return write_outcome(sql, key, [&](Statement& stmt) {
        stmt.bind(7, http::scrub_secrets(error)).bind(8, std::int64_t{temporary ? 1 : 0});
    });
}

Status SqliteLedger::mark_review(const Key& key, const std::string& error) {
    constexpr const char* sql = R"sql(
INSERT INTO sends (account, candidate_id, target, destination, state, last_error, created_at,
                   updated_at, holder)
VALUES (?1, ?2, ?3, ?4, 'review', ?7, ?6, ?6, ?5)
ON CONFLICT (account, candidate_id, target, destination) DO UPDATE SET
    state = 'review',
    last_error = excluded.last_error,
    temporary = 0,
    updated_at = excluded.updated_at
WHERE sends.holder = ?5
)sql";
    return write_outcome(sql, key, [&](Statement& stmt) { stmt.bind(7, http::scrub_secrets(error)); });
}

Status SqliteLedger::note_unresolved(const Key& key, const std::string& error) {
    constexpr const char* sql = R"sql(
UPDATE sends SET last_error = ?7, temporary = 1, updated_at = ?6
WHERE account = ?1 AND candidate_id = ?2 AND target = ?3 AND destination = ?4
  AND state = 'pending' AND holder = ?5
)sql";
    return write_outcome(sql, key, [&](Statement& stmt) { stmt.bind(7, http::scrub_secrets(error)); });
}

Status SqliteLedger::forget(const Key& key) {
    const std::string sql = std::string("DELETE FROM sends WHERE ") + k_key_match;
    auto changed = write_keyed(sql.c_str(), key, Durability::synced, [](Statement&) {});
    if (!changed) {
        return std::move(changed).error();
    }
    return {};
}

Status SqliteLedger::adopt_unkeyed(const std::string& target, const std::string& account) {
    if (account.empty()) {
        return {};
    }
    // Idempotent: if a power cut loses it, the next run does it again.
    return write_run(
        "UPDATE OR IGNORE sends SET account = ?2 WHERE account = '' AND target = ?1",
        Durability::deferred, [&](Statement& stmt) { stmt.bind(1, target).bind(2, account); });
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
    constexpr const char* order = "ORDER BY updated_at, candidate_id, target, destination, account";
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
