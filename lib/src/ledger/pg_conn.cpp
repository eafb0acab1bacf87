#include "ledger/pg_conn.hpp"

#include "ledger/pq_api.hpp"

#include <pjats/http/secrets.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <utility>

namespace pjats::ledger::detail {

namespace {

// libpq prints NOTICEs (e.g. "relation already exists, skipping") on stderr by default.
void ignore_notice(void* /*arg*/, const char* /*message*/) {}

// libpq's message on one line: trailing newlines dropped, inner ones become "; ".
std::string trimmed(const char* text) {
    std::string in = text != nullptr ? text : "";
    while (!in.empty() && (in.back() == '\n' || in.back() == ' ')) {
        in.pop_back();
    }
    std::string out;
    for (const char c : in) {
        out += c == '\n' ? std::string("; ") : std::string(1, c);
    }
    return out;
}

// Connection failures that a later run may not see: the server is down or unreachable.
bool unreachable(const std::string& message) {
    for (const char* sign : {"Connection refused", "timeout expired", "could not translate host",
                             "No route to host", "Network is unreachable", "the database system is"}) {
        if (message.find(sign) != std::string::npos) {
            return true;
        }
    }
    return false;
}

} // namespace

PgRows::PgRows(const PqApi* api, pg_result* result)
    : m_api(api),
      m_result(result) {}

PgRows::~PgRows() {
    if (m_result != nullptr) {
        m_api->clear(m_result);
    }
}

PgRows::PgRows(PgRows&& other) noexcept
    : m_api(other.m_api),
      m_result(std::exchange(other.m_result, nullptr)) {}

int PgRows::size() const {
    return m_api->ntuples(m_result);
}

std::string PgRows::text(int row, int column) const {
    if (m_api->getisnull(m_result, row, column) != 0) {
        return {};
    }
    return m_api->getvalue(m_result, row, column);
}

std::int64_t PgRows::integer(int row, int column) const {
    const std::string value = text(row, column);
    if (value == "t") {
        return 1;
    }
    if (value.empty() || value == "f") {
        return 0;
    }
    return std::strtoll(value.c_str(), nullptr, 10);
}

int PgRows::changed() const {
    return std::atoi(m_api->cmd_tuples(m_result));
}

Result<std::unique_ptr<PgConn>> PgConn::connect(const std::string& url) {
    const PqApi* api = load_pq();
    if (api == nullptr) {
        return make_error(ErrorKind::config, pq_load_error());
    }
    // The URL comes last so its own settings win over these defaults.
    const char* keys[] = {"application_name", "connect_timeout", "dbname", nullptr};
    const char* values[] = {"pj-ats", "10", url.c_str(), nullptr};
    pg_conn* conn = api->connectdb_params(keys, values, 1);
    if (conn == nullptr) {
        return make_error(ErrorKind::failure, "cannot open ledger " + url + ": out of memory");
    }
    if (api->status(conn) != CONNECTION_OK) {
        const std::string why = http::scrub_secrets(trimmed(api->error_message(conn)));
        api->finish(conn);
        Error error = make_error(unreachable(why) ? ErrorKind::temporary : ErrorKind::config,
                                 "cannot open ledger " + url + ": " + why);
        error.detail = "passwords come from ~/.pgpass, PGPASSFILE or a PGSERVICE service file "
                       "(docs/ledger.md, \"PostgreSQL\")";
        return error;
    }
    api->set_notice_processor(conn, &ignore_notice, nullptr);
    return std::unique_ptr<PgConn>(new PgConn(api, conn, url));
}

PgConn::PgConn(const PqApi* api, pg_conn* conn, std::string url)
    : m_api(api),
      m_conn(conn),
      m_url(std::move(url)) {}

PgConn::~PgConn() {
    m_api->finish(m_conn);
}

Error PgConn::failure(pg_result* result, const char* what) const {
    const bool lost = m_api->status(m_conn) != CONNECTION_OK;
    const std::string why = trimmed(result != nullptr ? m_api->result_error_message(result)
                                                      : m_api->error_message(m_conn));
    return make_error(lost ? ErrorKind::temporary : ErrorKind::failure,
                      std::string("cannot ") + what + " ledger " + m_url + ": "
                          + http::scrub_secrets(why));
}

Status PgConn::exec_script(const char* sql, const char* what) {
    pg_result* result = m_api->exec(m_conn, sql);
    const PgRows rows(m_api, result); // clears it
    const ExecStatusType status =
        result != nullptr ? m_api->result_status(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        return {};
    }
    return failure(result, what);
}

bool PgConn::lost() const {
    return m_api->status(m_conn) != CONNECTION_OK;
}

void PgConn::keep_session(std::string sql, std::vector<std::string> params, bool must_be_true) {
    for (const SessionStatement& kept : m_session) {
        if (kept.sql == sql && kept.params == params) {
            return;
        }
    }
    m_session.push_back(SessionStatement{std::move(sql), std::move(params), must_be_true});
}

Status PgConn::reconnect(const Error& cause) {
    using clock = std::chrono::steady_clock;
    const auto give_up = clock::now() + std::chrono::milliseconds(k_reconnect_ms);
    auto delay = std::chrono::milliseconds(250);
    Error last = cause;
    for (;;) {
        m_api->reset(m_conn);
        if (!lost()) {
            bool replayed = true;
            for (const SessionStatement& kept : m_session) {
                auto done = run_once(kept.sql.c_str(), kept.params, "reconnect to");
                if (!done) {
                    last = std::move(done).error();
                    replayed = false;
                    break;
                }
                if (kept.must_be_true && done->integer(0, 0) != 1) {
                    return make_error(ErrorKind::conflict,
                                      "cannot reconnect to ledger " + m_url
                                          + ": a lock this run held was taken by another run "
                                            "while the connection was lost");
                }
            }
            if (replayed) {
                ++m_reconnects;
                m_gave_up = false;
                return {};
            }
            if (!lost()) {
                return last; // the session statement itself failed
            }
        } else {
            last = make_error(ErrorKind::temporary,
                              "cannot reach ledger " + m_url + ": "
                                  + http::scrub_secrets(trimmed(m_api->error_message(m_conn))));
        }
        if (m_gave_up || clock::now() + delay > give_up) {
            m_gave_up = true; // later statements try once, not for another k_reconnect_ms
            last.kind = ErrorKind::temporary;
            last.message += " (reconnecting for " + std::to_string(k_reconnect_ms / 1000)
                            + " s did not help)";
            return last;
        }
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, std::chrono::milliseconds(5'000));
    }
}

Result<PgRows> PgConn::query(const char* sql, const std::vector<std::string>& params,
                             const char* what) {
    if (!lost()) {
        auto rows = run_once(sql, params, what);
        if (rows || !lost()) {
            return rows;
        }
        PJATS_TRY(reconnect(rows.error()));
    } else {
        PJATS_TRY(reconnect(make_error(ErrorKind::temporary, "cannot " + std::string(what)
                                                                 + " ledger " + m_url
                                                                 + ": the connection was lost")));
    }
    return run_once(sql, params, what);
}

Result<PgRows> PgConn::run_once(const char* sql, const std::vector<std::string>& params,
                                const char* what) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const std::string& param : params) {
        if (param.find('\0') != std::string::npos) {
            // libpq takes C strings, and PostgreSQL text cannot hold NUL: refuse rather
            // than store a shortened key.
            return make_error(ErrorKind::validation,
                              std::string("cannot ") + what + " ledger " + m_url
                                  + ": a value holds a NUL character");
        }
        values.push_back(param.c_str());
    }
    pg_result* result = m_api->exec_params(m_conn, sql, static_cast<int>(values.size()), nullptr,
                                           values.empty() ? nullptr : values.data(), nullptr,
                                           nullptr, 0);
    PgRows rows(m_api, result);
    const ExecStatusType status =
        result != nullptr ? m_api->result_status(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        return rows;
    }
    return failure(result, what);
}

} // namespace pjats::ledger::detail
