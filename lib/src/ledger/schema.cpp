#include "ledger/schema.hpp"

#include "ledger/statement.hpp"
#include "ledger/steps_schema.hpp"

#include <array>

namespace pjats::ledger::detail {

namespace {

// Append-only: never edit a released step, add a new one instead. Each step runs inside
// the migration transaction, so it must not contain BEGIN/COMMIT or change journal_mode.
constexpr std::array<const char*, 5> k_migrations = {
    // 1: sends, sync cursors and free-form metadata.
    R"sql(
CREATE TABLE sends (
    candidate_id TEXT NOT NULL,
    target       TEXT NOT NULL,
    destination  TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'review')),
    remote_id    TEXT NOT NULL DEFAULT '',
    lookup_hint  TEXT NOT NULL DEFAULT '',
    last_error   TEXT NOT NULL DEFAULT '',
    temporary    INTEGER NOT NULL DEFAULT 0 CHECK (temporary IN (0, 1)),
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (candidate_id, target, destination)
);
CREATE INDEX sends_by_state ON sends (state);
CREATE TABLE cursors (
    job_id     TEXT NOT NULL PRIMARY KEY,
    cursor     TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE meta (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
)sql",
    // 2: accounts in the key, claims (holder, version, attempt time), forced-send history,
    // the runs that hold claims, and the ledger's lineage.
    R"sql(
ALTER TABLE sends RENAME TO sends_v1;
CREATE TABLE sends (
    account      TEXT NOT NULL DEFAULT '',
    candidate_id TEXT NOT NULL,
    target       TEXT NOT NULL,
    destination  TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'review')),
    remote_id    TEXT NOT NULL DEFAULT '',
    lookup_hint  TEXT NOT NULL DEFAULT '',
    last_error   TEXT NOT NULL DEFAULT '',
    temporary    INTEGER NOT NULL DEFAULT 0 CHECK (temporary IN (0, 1)),
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    holder       TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    attempt_at   INTEGER NOT NULL DEFAULT 0,
    previous_remote_ids TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (account, candidate_id, target, destination)
);
INSERT INTO sends (candidate_id, target, destination, state, remote_id, lookup_hint,
                   last_error, temporary, attempts, created_at, updated_at)
    SELECT candidate_id, target, destination, state, remote_id, lookup_hint, last_error,
           temporary, attempts, created_at, updated_at FROM sends_v1;
DROP TABLE sends_v1;
CREATE INDEX sends_by_state ON sends (state);
CREATE TABLE runs (
    run_id       TEXT NOT NULL PRIMARY KEY,
    host         TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    pid_start    TEXT NOT NULL,
    command      TEXT NOT NULL DEFAULT '',
    started_at   INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL,
    ended        INTEGER NOT NULL DEFAULT 0
);
INSERT OR IGNORE INTO meta (name, value) VALUES ('lineage', lower(hex(randomblob(16))));
)sql",
    // 3: who each send was credited to (send --on-behalf-of, exportedBy, the profile's user).
    R"sql(
ALTER TABLE sends ADD COLUMN credited_to TEXT NOT NULL DEFAULT '';
)sql",
    // 4: what `track` last saw of each sent row in its ATS.
    R"sql(
CREATE TABLE tracking (
    account       TEXT NOT NULL DEFAULT '',
    candidate_id  TEXT NOT NULL,
    target        TEXT NOT NULL,
    destination   TEXT NOT NULL DEFAULT '',
    remote_id     TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,
    stage         TEXT NOT NULL DEFAULT '',
    job           TEXT NOT NULL DEFAULT '',
    link          TEXT NOT NULL DEFAULT '',
    state_since   INTEGER NOT NULL DEFAULT 0,
    hired_seen_at INTEGER NOT NULL DEFAULT 0,
    hired_at      INTEGER NOT NULL DEFAULT 0,
    checked_at    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account, candidate_id, target, destination)
);
)sql",
    // 5: follow-up steps of a send (Lever's note and file), each done once.
    k_sqlite_steps_migration,
};

Result<int> read_user_version(sqlite3* db, const std::string& path) {
    Statement stmt(db, "PRAGMA user_version");
    const int rc = stmt.step();
    if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT) {
        Error error = sqlite_error(
            db, rc, ErrorKind::config, "ledger " + path + " is not a usable SQLite database");
        error.detail = "move it aside to start a new, empty ledger";
        return error;
    }
    if (rc != SQLITE_ROW) {
        return sqlite_error(db, rc, ErrorKind::config, "cannot read ledger " + path);
    }
    return static_cast<int>(stmt.integer(0));
}

Error newer_schema(const std::string& path, int version) {
    Error error = make_error(ErrorKind::config,
                             "ledger " + path + " was written by a newer pj-ats (schema "
                                 + std::to_string(version) + ")");
    error.detail = "this pj-ats understands ledger schema up to " + std::to_string(schema_version())
                   + "; upgrade pj-ats";
    return error;
}

} // namespace

int schema_version() {
    return static_cast<int>(k_migrations.size());
}

Status check_schema_version(sqlite3* db, const std::string& path) {
    auto version = read_user_version(db, path);
    if (!version) {
        return std::move(version).error();
    }
    if (*version > schema_version()) {
        return newer_schema(path, *version);
    }
    return {};
}

Status migrate(sqlite3* db, const std::string& path) {
    // Cheap check without the write lock: the common case is an up-to-date database.
    auto version = read_user_version(db, path);
    if (!version) {
        return std::move(version).error();
    }
    if (*version > schema_version()) {
        return newer_schema(path, *version);
    }
    if (*version == schema_version()) {
        return {};
    }

    const std::string context = "cannot migrate ledger " + path;
    Transaction transaction(db);
    if (transaction.begin_rc() != SQLITE_OK) {
        return sqlite_error(db, transaction.begin_rc(), ErrorKind::config, context);
    }
    // Another process may have migrated between the check and the lock.
    version = read_user_version(db, path);
    if (!version) {
        return std::move(version).error();
    }
    if (*version > schema_version()) {
        return newer_schema(path, *version);
    }
    for (int step = *version; step < schema_version(); ++step) {
        const int rc = exec_sql(db, k_migrations[static_cast<std::size_t>(step)]);
        if (rc != SQLITE_OK) {
            return sqlite_error(
                db, rc, ErrorKind::config, context + " to schema " + std::to_string(step + 1));
        }
    }
    // PRAGMA takes no parameters; the value is this build's constant, never outside input.
    const std::string set_version = "PRAGMA user_version = " + std::to_string(schema_version());
    int rc = exec_sql(db, set_version.c_str());
    if (rc == SQLITE_OK) {
        rc = transaction.commit();
    }
    if (rc != SQLITE_OK) {
        return sqlite_error(db, rc, ErrorKind::config, context);
    }
    return {};
}

} // namespace pjats::ledger::detail
