#pragma once

// Owning handles for the SQLite C API. Only lib/src/ledger includes <sqlite3.h>.

#include <sqlite3.h>

#include <memory>

namespace pjats::ledger::detail {

// Closes a connection. sqlite3_close_v2 defers the close until every statement of the
// connection is finalized, so destruction order between handles never matters.
struct SqliteDbDeleter {
    void operator()(sqlite3* db) const noexcept {
        sqlite3_close_v2(db);
    }
};

using SqliteDb = std::unique_ptr<sqlite3, SqliteDbDeleter>;

struct SqliteStmtDeleter {
    void operator()(sqlite3_stmt* stmt) const noexcept {
        sqlite3_finalize(stmt);
    }
};

using SqliteStmt = std::unique_ptr<sqlite3_stmt, SqliteStmtDeleter>;

} // namespace pjats::ledger::detail
