#pragma once

// Helpers shared by the ledger tests: a throwaway directory, a raw SQLite connection that
// looks at the database from outside the Ledger, and file helpers.

#include "ledger/sqlite_handles.hpp"

#include <pjats/ledger/ledger.hpp>

#include "support/temp_env.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>

namespace pjats::ledger_test {

using pjats::test::EnvGuard;
using pjats::test::TempDir;



// A second, raw connection to a database file, independent of any Ledger.
class RawDb {
  public:
    explicit RawDb(const std::string& path) {
        sqlite3* raw = nullptr;
        const int rc = sqlite3_open_v2(
            path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
        m_db.reset(raw);
        REQUIRE(rc == SQLITE_OK);
        sqlite3_busy_timeout(m_db.get(), 10'000);
    }

    // Runs constant SQL; REQUIREs success.
    void exec(const std::string& sql) {
        REQUIRE(sqlite3_exec(m_db.get(), sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    }

    // The first column of the first row of `sql`, as text ("" when there is no row).
    std::string text(const std::string& sql) {
        sqlite3_stmt* raw = nullptr;
        REQUIRE(sqlite3_prepare_v2(m_db.get(), sql.c_str(), -1, &raw, nullptr) == SQLITE_OK);
        const ledger::detail::SqliteStmt stmt(raw);
        const int rc = sqlite3_step(stmt.get());
        REQUIRE((rc == SQLITE_ROW || rc == SQLITE_DONE));
        if (rc == SQLITE_DONE) {
            return {};
        }
        const unsigned char* value = sqlite3_column_text(stmt.get(), 0);
        return value != nullptr ? reinterpret_cast<const char*>(value) : "";
    }

    std::int64_t integer(const std::string& sql) {
        return std::stoll(text(sql));
    }

  private:
    ledger::detail::SqliteDb m_db;
};

// Opens a ledger and REQUIREs success.
inline std::unique_ptr<ledger::Ledger> open_ok(const std::string& path) {
    auto opened = ledger::Ledger::open(path);
    REQUIRE_MESSAGE(opened.has_value(), (opened ? "" : opened.error().message));
    return std::move(*opened);
}

inline void write_file(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline mode_t mode_of(const std::string& path) {
    struct stat st {};

    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

} // namespace pjats::ledger_test
