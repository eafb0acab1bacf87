#pragma once

// The ledger's schema and its migrations. The schema version lives in
// `PRAGMA user_version`; migration i (0-based) takes a database from version i to i + 1.

#include "ledger/sqlite_handles.hpp"

#include <pjats/core/result.hpp>

#include <string>

namespace pjats::ledger::detail {

// The schema version this build writes and understands.
int schema_version();

// Reads the schema version: a config error naming `path` when the file is not a usable
// SQLite database, or when a newer pj-ats wrote it. Writes nothing.
Status check_schema_version(sqlite3* db, const std::string& path);

// Brings the database on `db` up to schema_version() in one BEGIN IMMEDIATE transaction,
// so concurrent openers migrate once and a failure leaves the old version intact.
// Refuses (config error) a database written by a newer pj-ats. `path` is for messages.
Status migrate(sqlite3* db, const std::string& path);

} // namespace pjats::ledger::detail
