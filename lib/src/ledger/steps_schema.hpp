#pragma once

// The follow-up steps table (docs/ledger.md, "Steps"): one migration step per backend,
// appended to k_migrations in schema.cpp (SQLite) and pg_schema.cpp (PostgreSQL).

namespace pjats::ledger::detail {

// SQLite: steps (Lever's note and file) done once after a send's record was created.
inline constexpr const char* k_sqlite_steps_migration = R"sql(
CREATE TABLE send_steps (
    account      TEXT NOT NULL DEFAULT '',
    candidate_id TEXT NOT NULL,
    target       TEXT NOT NULL,
    destination  TEXT NOT NULL DEFAULT '',
    step         TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('todo', 'pending', 'done', 'failed')),
    remote_id    TEXT NOT NULL DEFAULT '',
    holder       TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    attempt_at   INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (account, candidate_id, target, destination, step)
);
CREATE INDEX send_steps_by_state ON send_steps (state);
)sql";

// PostgreSQL: the same table in the pjats schema.
inline constexpr const char* k_pg_steps_migration = R"sql(
CREATE TABLE pjats.send_steps (
    account      TEXT NOT NULL DEFAULT '',
    candidate_id TEXT NOT NULL,
    target       TEXT NOT NULL,
    destination  TEXT NOT NULL DEFAULT '',
    step         TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('todo', 'pending', 'done', 'failed')),
    remote_id    TEXT NOT NULL DEFAULT '',
    holder       TEXT NOT NULL DEFAULT '',
    version      BIGINT NOT NULL DEFAULT 1,
    attempt_at   BIGINT NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (account, candidate_id, target, destination, step)
);
CREATE INDEX send_steps_by_state ON pjats.send_steps (state);
)sql";

} // namespace pjats::ledger::detail
