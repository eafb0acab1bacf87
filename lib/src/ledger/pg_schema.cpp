#include "ledger/pg_schema.hpp"

#include "ledger/pg_conn.hpp"
#include "ledger/steps_schema.hpp"

#include <array>
#include <string>

namespace pjats::ledger::detail {

namespace {

// Any constant shared by every pj-ats: the advisory lock that serialises migrations.
constexpr const char* k_migration_lock = "SELECT pg_advisory_xact_lock(7063410125861172241)";

// Append-only: never edit a released step, add a new one instead. Each runs inside the
// migration transaction. Same tables and columns as the SQLite schema (docs/ledger.md).
constexpr std::array<const char*, 4> k_migrations = {
    R"sql(
CREATE TABLE pjats.sends (
    account      TEXT NOT NULL DEFAULT '',
    candidate_id TEXT NOT NULL,
    target       TEXT NOT NULL,
    destination  TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'review')),
    remote_id    TEXT NOT NULL DEFAULT '',
    lookup_hint  TEXT NOT NULL DEFAULT '',
    last_error   TEXT NOT NULL DEFAULT '',
    temporary    SMALLINT NOT NULL DEFAULT 0 CHECK (temporary IN (0, 1)),
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    holder       TEXT NOT NULL DEFAULT '',
    version      BIGINT NOT NULL DEFAULT 1,
    attempt_at   BIGINT NOT NULL DEFAULT 0,
    previous_remote_ids TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (account, candidate_id, target, destination)
);
CREATE INDEX sends_by_state ON pjats.sends (state);
CREATE TABLE pjats.runs (
    run_id       TEXT NOT NULL PRIMARY KEY,
    host         TEXT NOT NULL,
    pid          BIGINT NOT NULL,
    pid_start    TEXT NOT NULL,
    command      TEXT NOT NULL DEFAULT '',
    started_at   BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL,
    ended        SMALLINT NOT NULL DEFAULT 0
);
CREATE TABLE pjats.cursors (
    job_id     TEXT NOT NULL PRIMARY KEY,
    cursor     TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE pjats.meta (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO pjats.meta (name, value) VALUES ('lineage', replace(gen_random_uuid()::text, '-', ''))
ON CONFLICT (name) DO NOTHING;
)sql",
    // 2: who each send was credited to (send --on-behalf-of, exportedBy, the profile's user).
    R"sql(
ALTER TABLE pjats.sends ADD COLUMN credited_to TEXT NOT NULL DEFAULT '';
)sql",
    // 3: what `track` last saw of each sent row in its ATS.
    R"sql(
CREATE TABLE pjats.tracking (
    account       TEXT NOT NULL DEFAULT '',
    candidate_id  TEXT NOT NULL,
    target        TEXT NOT NULL,
    destination   TEXT NOT NULL DEFAULT '',
    remote_id     TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,
    stage         TEXT NOT NULL DEFAULT '',
    job           TEXT NOT NULL DEFAULT '',
    link          TEXT NOT NULL DEFAULT '',
    state_since   BIGINT NOT NULL DEFAULT 0,
    hired_seen_at BIGINT NOT NULL DEFAULT 0,
    hired_at      BIGINT NOT NULL DEFAULT 0,
    checked_at    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (account, candidate_id, target, destination)
);
)sql",
    // 4: follow-up steps of a send (Lever's note and file), each done once.
    k_pg_steps_migration,
};

constexpr int k_version = static_cast<int>(k_migrations.size());

Error newer_schema(const std::string& url, int version) {
    Error error = make_error(ErrorKind::config,
                             "ledger " + url + " was written by a newer pj-ats (schema "
                                 + std::to_string(version) + ")");
    error.detail = "this pj-ats understands PostgreSQL ledger schema up to "
                   + std::to_string(k_version) + "; upgrade pj-ats";
    return error;
}

// The recorded version, 0 without the schema.
Result<int> read_version(PgConn& conn) {
    auto rows = conn.query(
        "SELECT CASE WHEN to_regclass('pjats.schema_version') IS NULL THEN -1 ELSE 0 END", {},
        "read");
    if (!rows) {
        return std::move(rows).error();
    }
    if (rows->integer(0, 0) < 0) {
        return 0;
    }
    auto version =
        conn.query("SELECT coalesce(max(version), 0) FROM pjats.schema_version", {}, "read");
    if (!version) {
        return std::move(version).error();
    }
    return static_cast<int>(version->integer(0, 0));
}

Status exec(PgConn& conn, const char* sql) {
    auto done = conn.exec_script(sql, "migrate");
    if (!done) {
        Error error = std::move(done).error();
        error.kind = error.kind == ErrorKind::temporary ? error.kind : ErrorKind::config;
        return error;
    }
    return {};
}

Status migrate_locked(PgConn& conn) {
    PJATS_TRY(exec(conn, k_migration_lock));
    PJATS_TRY(exec(conn, "CREATE SCHEMA IF NOT EXISTS pjats"));
    PJATS_TRY(exec(conn, "CREATE TABLE IF NOT EXISTS pjats.schema_version (version INTEGER NOT NULL)"));
    // Another machine may have migrated between the first check and the lock.
    auto version = read_version(conn);
    if (!version) {
        return std::move(version).error();
    }
    if (*version > k_version) {
        return newer_schema(conn.url(), *version);
    }
    for (int step = *version; step < k_version; ++step) {
        PJATS_TRY(exec(conn, k_migrations[static_cast<std::size_t>(step)]));
    }
    PJATS_TRY(exec(conn, "DELETE FROM pjats.schema_version"));
    const std::string set = "INSERT INTO pjats.schema_version (version) VALUES ("
                            + std::to_string(k_version) + ")"; // this build's constant
    return exec(conn, set.c_str());
}

} // namespace

Result<bool> pg_schema_exists(PgConn& conn) {
    auto version = read_version(conn);
    if (!version) {
        return std::move(version).error();
    }
    return *version > 0;
}

Status pg_migrate(PgConn& conn) {
    // Cheap check without the lock: the common case is an up-to-date database.
    auto version = read_version(conn);
    if (!version) {
        return std::move(version).error();
    }
    if (*version > k_version) {
        return newer_schema(conn.url(), *version);
    }
    if (*version < k_version) {
        PJATS_TRY(exec(conn, "BEGIN"));
        Status migrated = migrate_locked(conn);
        PJATS_TRY(exec(conn, migrated ? "COMMIT" : "ROLLBACK"));
        PJATS_TRY(std::move(migrated));
    }
    PJATS_TRY(exec(conn, "SET search_path TO pjats"));
    conn.keep_session("SET search_path TO pjats", {}, false); // again after a reconnect
    return {};
}

} // namespace pjats::ledger::detail
