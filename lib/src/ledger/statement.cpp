#include "ledger/statement.hpp"

namespace pjats::ledger::detail {

Error sqlite_error(sqlite3* db, int rc, ErrorKind kind, const std::string& context) {
    const char* reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return make_error(kind, context + ": " + (reason != nullptr ? reason : "unknown error"));
}

int exec_sql(sqlite3* db, const char* sql) {
    return sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
}

Statement::Statement(sqlite3* db, const char* sql) {
    sqlite3_stmt* raw = nullptr;
    m_rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
    m_stmt.reset(raw);
    if (m_rc == SQLITE_OK && !m_stmt) {
        m_rc = SQLITE_MISUSE; // empty SQL: a programming error, never silently "done"
    }
}

Statement& Statement::bind(int index, const std::string& value) {
    if (m_rc == SQLITE_OK) {
        m_rc = sqlite3_bind_text64(m_stmt.get(),
                                   index,
                                   value.data(),
                                   static_cast<sqlite3_uint64>(value.size()),
                                   SQLITE_TRANSIENT,
                                   SQLITE_UTF8);
    }
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (m_rc == SQLITE_OK) {
        m_rc = sqlite3_bind_int64(m_stmt.get(), index, static_cast<sqlite3_int64>(value));
    }
    return *this;
}

int Statement::step() {
    if (m_rc != SQLITE_OK) {
        return m_rc;
    }
    return sqlite3_step(m_stmt.get());
}

int Statement::run() {
    int rc = step();
    while (rc == SQLITE_ROW) {
        rc = step();
    }
    return rc;
}

std::string Statement::text(int column) const {
    const unsigned char* data = sqlite3_column_text(m_stmt.get(), column);
    const int size = sqlite3_column_bytes(m_stmt.get(), column);
    if (data == nullptr || size <= 0) {
        return {};
    }
    return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::int64_t Statement::integer(int column) const {
    return static_cast<std::int64_t>(sqlite3_column_int64(m_stmt.get(), column));
}

Transaction::Transaction(sqlite3* db)
    : m_db(db),
      m_begin_rc(exec_sql(db, "BEGIN IMMEDIATE")) {
    m_open = m_begin_rc == SQLITE_OK;
}

Transaction::~Transaction() {
    // A failed statement may already have rolled the transaction back.
    if (m_open && sqlite3_get_autocommit(m_db) == 0) {
        exec_sql(m_db, "ROLLBACK");
    }
}

int Transaction::commit() {
    const int rc = exec_sql(m_db, "COMMIT");
    if (rc == SQLITE_OK) {
        m_open = false;
    }
    return rc;
}

} // namespace pjats::ledger::detail
