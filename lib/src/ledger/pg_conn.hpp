#pragma once

// One libpq connection with parameterised queries: every value reaches PostgreSQL as a
// text parameter ($1, $2 … cast in the SQL), never spliced into SQL text. Private to
// lib/src/ledger.

#include <pjats/core/result.hpp>

#include <cstdint>
#include <atomic>
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

    // Runs `sql` with `params` ($1 … as text). A connection lost before or during the
    // statement (a server restart, an outage) is reconnected with backoff for up to
    // k_reconnect_ms — the session statements (keep_session) run again — and the statement
    // is run once more: a write may thus run twice, so writes must be idempotent or check
    // reconnects() (claims do). Errors: failure (or temporary when the connection stays
    // lost), with PostgreSQL's message after "cannot <what> ledger URL".
    Result<PgRows> query(const char* sql, const std::vector<std::string>& params,
                         const char* what = "use");
    Result<PgRows> query(const std::string& sql, const std::vector<std::string>& params,
                         const char* what = "use") {
        return query(sql.c_str(), params, what);
    }

    // Runs constant SQL that may hold several statements (migrations), without parameters.
    Status exec_script(const char* sql, const char* what);

    // Session state a new connection must have again after a reconnect, in order: `sql`
    // with `params`; `must_be_true`: its one value must be true (an advisory lock taken
    // again), else the reconnect fails with a conflict error.
    void keep_session(std::string sql, std::vector<std::string> params, bool must_be_true);

    // How many times this connection was re-established.
    int reconnects() const { return m_reconnects; }

    const std::string& url() const { return m_url; }

    // How long a lost connection is retried: longer than an outage of 60 s.
    static constexpr int k_reconnect_ms = 75'000;

  private:
    struct SessionStatement {
        std::string sql;
        std::vector<std::string> params;
        bool must_be_true = false;
    };

    Result<PgRows> run_once(const char* sql, const std::vector<std::string>& params,
                            const char* what);
    // PQreset with backoff until connected and the session statements ran, or
    // k_reconnect_ms passed. `cause`: the failure that lost the connection.
    Status reconnect(const Error& cause);
    bool lost() const;

    PgConn(const PqApi* api, pg_conn* conn, std::string url);
    // The error of a failed command (`result` may be null).
    Error failure(pg_result* result, const char* what) const;

    const PqApi* m_api;
    pg_conn* m_conn;
    std::string m_url;
    std::vector<SessionStatement> m_session;
    std::atomic<int> m_reconnects{0};
    bool m_gave_up = false; // the last reconnect ran out of time
};

} // namespace pjats::ledger::detail
