#pragma once

// A small wrapper over prepared SQLite statements: values are only ever bound as
// parameters, never spliced into SQL text.

#include "ledger/sqlite_handles.hpp"

#include <pjats/core/result.hpp>

#include <cstdint>
#include <string>

namespace pjats::ledger::detail {

// An Error of `kind` whose message is `context`, ": " and SQLite's message for the failed
// call on `db` (or for the result code `rc` when `db` is null).
Error sqlite_error(sqlite3* db, int rc, ErrorKind kind, const std::string& context);

// Runs constant SQL (statements without parameters: DDL, BEGIN, COMMIT, pragmas).
// Returns the SQLite result code, SQLITE_OK on success.
int exec_sql(sqlite3* db, const char* sql);

// One prepared statement. A failure to compile or bind is remembered and returned by the
// next step(), so callers check a single result code.
class Statement {
  public:
    // Compiles the single statement `sql` on `db`.
    Statement(sqlite3* db, const char* sql);

    // Binds `value` to the 1-based parameter `index`; the value is copied.
    Statement& bind(int index, const std::string& value);
    Statement& bind(int index, std::int64_t value);

    // Advances the statement: SQLITE_ROW when a row is available, SQLITE_DONE at the end,
    // any other SQLite result code on failure (including an earlier prepare/bind failure).
    int step();

    // Runs the statement to completion; SQLITE_DONE on success.
    int run();

    // The value of `column` in the current row ("" or 0 for NULL).
    std::string text(int column) const;
    std::int64_t integer(int column) const;

  private:
    SqliteStmt m_stmt;
    int m_rc = SQLITE_OK; // the first prepare/bind failure
};

// Rolls back an open transaction on destruction unless commit() succeeded.
class Transaction {
  public:
    // Starts a write transaction with BEGIN IMMEDIATE, taking the write lock up front so a
    // read-modify-write never has to upgrade a stale read snapshot (which SQLite reports
    // as SQLITE_BUSY without waiting). Check begin_rc() before using the transaction.
    explicit Transaction(sqlite3* db);
    ~Transaction();

    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    int begin_rc() const {
        return m_begin_rc;
    }

    // COMMIT; returns the SQLite result code. On failure the destructor rolls back.
    int commit();

  private:
    sqlite3* m_db;
    int m_begin_rc;
    bool m_open = false;
};

// For one write: `PRAGMA synchronous = OFF` (the commit reaches the WAL without an fsync,
// not even the WAL header's at a restart), then back to the connection's FULL. Safe
// because SharedConnection's WAL hook keeps SQLite from checkpointing inside such a
// commit: frames reach the database file only through a checkpoint at FULL, which syncs
// the WAL first. A durable write then calls SqliteLedger::sync_wal. Inactive when
// `active` is false.
class DeferredSync {
  public:
    DeferredSync(sqlite3* db, bool active)
        : m_db(active ? db : nullptr) {
        if (m_db != nullptr) {
            static_cast<void>(exec_sql(m_db, "PRAGMA synchronous = OFF"));
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

} // namespace pjats::ledger::detail
