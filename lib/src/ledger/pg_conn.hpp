#pragma once

// One libpq connection with parameterised queries: every value reaches PostgreSQL as a
// text parameter ($1, $2 … cast in the SQL), never spliced into SQL text. Private to
// lib/src/ledger.

#include <pjats/core/result.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace pjats::ledger::detail {

struct PqApi;

// The rows of one successful query (owned; cleared on destruction).
class PgRows {
  public:
    PgRows(const PqApi* api, pg_result* result);
    ~PgRows();
    PgRows(PgRows&& other) noexcept;
    PgRows& operator=(PgRows&&) = delete;
    PgRows(const PgRows&) = delete;
    PgRows& operator=(const PgRows&) = delete;

    int size() const;
    // The value at (row, column) as text; "" for NULL.
    std::string text(int row, int column) const;
    std::int64_t integer(int row, int column) const;
    // Rows a write changed (PQcmdTuples).
    int changed() const;

  private:
    const PqApi* m_api;
    pg_result* m_result;
};

class PgConn {
  public:
    // Connects to `url` (libpq loaded on first use). Errors are config errors, or
    // temporary when the server cannot be reached; they name `url` (never a password:
    // check_postgres_url refuses URLs with one).
    static Result<std::unique_ptr<PgConn>> connect(const std::string& url);
    ~PgConn();
    PgConn(const PgConn&) = delete;
    PgConn& operator=(const PgConn&) = delete;

    // Runs `sql` with `params` ($1 … as text). Errors: failure (or temporary when the
    // connection is lost), with PostgreSQL's message after "cannot <what> ledger URL".
    Result<PgRows> query(const char* sql, const std::vector<std::string>& params,
                         const char* what = "use");
    Result<PgRows> query(const std::string& sql, const std::vector<std::string>& params,
                         const char* what = "use") {
        return query(sql.c_str(), params, what);
    }

    // Runs constant SQL that may hold several statements (migrations), without parameters.
    Status exec_script(const char* sql, const char* what);

    const std::string& url() const { return m_url; }

  private:
    PgConn(const PqApi* api, pg_conn* conn, std::string url);
    // The error of a failed command (`result` may be null).
    Error failure(pg_result* result, const char* what) const;

    const PqApi* m_api;
    pg_conn* m_conn;
    std::string m_url;
};

} // namespace pjats::ledger::detail
