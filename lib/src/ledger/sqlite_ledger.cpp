// The send ledger's reads and writes. Every value reaches SQLite as a bound parameter.
// Writes are single statements, so each is atomic without an explicit transaction, and
// SQLite takes the write lock when the statement starts (waiting up to the busy timeout).
// Claims are compare-and-swaps on `version`; outcome writes are fenced by `holder`.

#include "ledger/sqlite_ledger.hpp"

#include "ledger/statement.hpp"

#include <pjats/core/clock.hpp>
#include <pjats/http/secrets.hpp>

#include <chrono>
#include <iterator>
#include <map>
#include <thread>
#include <utility>

namespace pjats::ledger::detail {

namespace {

constexpr const char* k_entry_columns =
    "candidate_id, target, destination, state, remote_id, lookup_hint, last_error, "
    "temporary, attempts, updated_at, account, holder, version, attempt_at, "
    "previous_remote_ids, credited_to";

constexpr const char* k_key_match =
    "account = ?1 AND candidate_id = ?2 AND target = ?3 AND destination = ?4";

// Reads the current row of a statement selecting k_entry_columns.
Result<Entry> read_entry(const Statement& stmt) {
    Entry entry;
    entry.key.candidate_id = stmt.text(0);
    entry.key.target = stmt.text(1);
    entry.key.destination = stmt.text(2);
    const std::string state = stmt.text(3);
    const std::optional<State> parsed = state_from_text(state);
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

namespace {

// The WAL is checkpointed by sync_wal once it holds this many pages (4 MiB of 4 KiB
// pages): a checkpoint costs two syncs (WAL, database file).
constexpr int k_checkpoint_pages = 1000;

// Two durable writes of different threads closer than k_busy_gap make a busy run, whose syncs first wait
// k_gather for more writes to share them: a bulk Lever send makes three durable writes per
// candidate (claim, step plan, step claim) at 10 candidates a second; workers in flight
// hide the wait (the rate limit, not the worker, sets the pace).
constexpr std::chrono::milliseconds k_busy_gap{250};
constexpr std::chrono::milliseconds k_gather{200};
constexpr std::uint64_t k_gather_writes = 4;

std::mutex g_shared_mutex;
std::map<std::string, std::weak_ptr<SharedConnection>> g_shared; // by path

// Replaces SQLite's automatic checkpoint (which would run inside a commit at
// synchronous = OFF, writing the database file without syncing the WAL first).
int note_wal_pages(void* connection, sqlite3*, const char*, int pages) {
    static_cast<SharedConnection*>(connection)->wal_pages = pages; // under its mutex
    return SQLITE_OK;
}

} // namespace

std::shared_ptr<SharedConnection> find_shared(const std::string& path) {
    const std::lock_guard<std::mutex> lock(g_shared_mutex);
    const auto it = g_shared.find(path);
    return it == g_shared.end() ? nullptr : it->second.lock();
}

std::shared_ptr<SharedConnection> share(const std::string& path, SqliteDb db) {
    auto connection = std::make_shared<SharedConnection>();
    connection->db = std::move(db);
    sqlite3_wal_hook(connection->db.get(), &note_wal_pages, connection.get());
    if (path.empty()) {
        return connection; // not shared
    }
    const std::lock_guard<std::mutex> lock(g_shared_mutex);
    for (auto it = g_shared.begin(); it != g_shared.end();) {
        it = it->second.expired() ? g_shared.erase(it) : std::next(it);
    }
    g_shared[path] = connection;
    return connection;
}

SqliteLedger::SqliteLedger(std::shared_ptr<SharedConnection> connection, std::string path)
    : m_connection(std::move(connection)),
      m_mutex(m_connection->mutex),
      m_db(m_connection->db),
      m_path(std::move(path)) {}

std::uint64_t SqliteLedger::committed() {
    SharedConnection& c = *m_connection;
    const auto now = std::chrono::steady_clock::now();
    const std::thread::id self = std::this_thread::get_id();
    c.busy = now - c.last_durable < k_busy_gap && c.last_thread != self;
    c.last_durable = now;
    c.last_thread = self;
    return ++c.written;
}

Status SqliteLedger::sync_wal(std::uint64_t seq) {
    SharedConnection& c = *m_connection;
    const std::lock_guard<std::mutex> order(c.sync_mutex);
    if (c.synced >= seq) {
        return {}; // a sync that started after this write covered it
    }
    bool gather = false;
    {
        const std::lock_guard<std::mutex> lock(c.mutex);
        gather = c.busy;
    }
    if (gather) {
        // Others are writing: let the durable writes of the next moment share this sync
        // (they commit meanwhile, then find themselves synced): wait until k_gather_writes
        // are waiting (a fast server: a few ms) or k_gather has passed (a rate-limited one).
        const auto until = std::chrono::steady_clock::now() + k_gather;
        while (std::chrono::steady_clock::now() < until) {
            {
                const std::lock_guard<std::mutex> lock(c.mutex);
                if (c.written - c.synced >= k_gather_writes) {
                    break;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    const std::lock_guard<std::mutex> lock(c.mutex);
    const std::uint64_t target = c.written;
    sqlite3_file* wal = nullptr;
    int rc = sqlite3_file_control(c.db.get(), "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal);
    if (rc == SQLITE_OK && wal != nullptr && wal->pMethods != nullptr) {
        rc = wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL);
    } else {
        // No WAL handle to sync (never expected in WAL mode): a full checkpoint syncs both.
        rc = exec_sql(c.db.get(), "PRAGMA wal_checkpoint(FULL)");
    }
    if (rc != SQLITE_OK) {
        return write_error(rc);
    }
    c.synced = target;
    if (c.wal_pages >= k_checkpoint_pages) {
        // At the connection's FULL: the WAL is synced before pages reach the database.
        if (exec_sql(c.db.get(), "PRAGMA wal_checkpoint(PASSIVE)") == SQLITE_OK) {
            c.wal_pages = 0;
        }
    }
    return {};
}

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
    std::uint64_t seq = 0;
    int changes = 0;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        const DeferredSync deferred(m_db.get(), true);
        Statement stmt(m_db.get(), sql);
        stmt.bind(1, key.account)
            .bind(2, key.candidate_id)
            .bind(3, key.target)
            .bind(4, key.destination);
        bind_rest(stmt);
        const int rc = stmt.run();
        if (rc != SQLITE_DONE) {
            return write_error(rc);
        }
        changes = sqlite3_changes(m_db.get());
        if (durability == Durability::synced) {
            seq = committed();
        }
    }
    if (seq != 0) {
        PJATS_TRY(sync_wal(seq));
    }
    return changes;
}

template <typename BindRest>
Status SqliteLedger::write_outcome(const char* sql, const Key& key, BindRest bind_rest) {
    auto changed = write_keyed(sql, key, Durability::deferred, [&](Statement& stmt) {
        stmt.bind(5, m_run.run_id).bind(6, unix_seconds());
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

Result<std::string> SqliteLedger::lineage() {
    return lookup_text("SELECT value FROM meta WHERE name = ?1", "lineage");
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
        stmt.bind(5, email).bind(6, unix_seconds()).bind(7, m_run.run_id).bind(8, unix_ms());
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
        stmt.bind(5, lookup_hint).bind(6, unix_seconds()).bind(7, m_run.run_id).bind(8, unix_ms());
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

Status SqliteLedger::rekey_account(const std::string& target, const std::string& from,
                                   const std::string& to) {
    if (from == to || to.empty()) {
        return {};
    }
    // The send rows last: a rekey cut short is found again (by its rows) and finished.
    constexpr const char* statements[] = {
        "UPDATE OR IGNORE send_steps SET account = ?2 WHERE account = ?1 AND target = ?3",
        "UPDATE OR IGNORE tracking SET account = ?2 WHERE account = ?1 AND target = ?3",
        "UPDATE OR IGNORE cursors SET job_id = ?2 || substr(job_id, length(?1) + 1) "
        "WHERE substr(job_id, 1, length(?1) + 1) = ?1 || '|' AND ?3 = ?3",
        "UPDATE OR IGNORE sends SET account = ?2 WHERE account = ?1 AND target = ?3",
    };
    for (const char* sql : statements) {
        PJATS_TRY(write_run(sql, Durability::synced, [&](Statement& stmt) {
            stmt.bind(1, from).bind(2, to).bind(3, target);
        }));
    }
    return {};
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

} // namespace pjats::ledger::detail
