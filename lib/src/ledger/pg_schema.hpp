#pragma once

// The PostgreSQL ledger's schema (in the database schema `pjats`) and its migrations. The
// version lives in pjats.schema_version; migration i (0-based) takes it from i to i + 1.

#include <pjats/core/result.hpp>

namespace pjats::ledger::detail {

class PgConn;

// Brings the database up to date in one transaction under pg_advisory_xact_lock, so two
// machines starting at once migrate once; refuses (config error) a schema written by a
// newer pj-ats. Leaves `conn` with search_path = pjats.
Status pg_migrate(PgConn& conn);

// Whether the pj-ats schema exists in the database (nothing is created).
Result<bool> pg_schema_exists(PgConn& conn);

} // namespace pjats::ledger::detail
