#pragma once

// The ledger conformance suite runs every case against both backends: a temporary SQLite
// file and a fresh database on the throwaway PostgreSQL cluster (tests/support/
// pg_cluster.sh, started by CTest). Write a case as
//
//   TEST_CASE_TEMPLATE("ledger::… does X", Backend, PJATS_LEDGER_BACKENDS) {
//       TestLedger db(Backend::kind);
//       PJATS_REQUIRE_BACKEND(db);
//       auto ledger = db.open();
//
// Without a cluster (PJATS_TEST_PG_URL_FILE / PJATS_TEST_PG_URL unset or empty) the
// PostgreSQL cases print PJATS_PG_SKIPPED (CTest reports them skipped) and pass, unless
// PJATS_TEST_PG_REQUIRED=1.

#include "ledger/pg_conn.hpp"
#include "test_ledger_support.hpp"

#include <pjats/ledger/ledger.hpp>

#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

namespace pjats::ledger_test {

struct SqliteBackend {
    static constexpr const char* kind = "sqlite";
};

struct PostgresBackend {
    static constexpr const char* kind = "postgresql";
};

#define PJATS_LEDGER_BACKENDS ::pjats::ledger_test::SqliteBackend, ::pjats::ledger_test::PostgresBackend

// The cluster's base URL ("postgresql://postgres@127.0.0.1:PORT/"), "" when there is none.
inline std::string pg_base_url() {
    if (const char* url = std::getenv("PJATS_TEST_PG_URL"); url != nullptr && *url != '\0') {
        return url;
    }
    const char* file = std::getenv("PJATS_TEST_PG_URL_FILE");
    if (file == nullptr || *file == '\0') {
        return {};
    }
    std::ifstream in(file);
    std::string url;
    std::getline(in, url);
    return url;
}

// Runs constant SQL on `url` through a connection of its own; REQUIREs success.
inline void pg_exec(const std::string& url, const std::string& sql) {
    auto conn = ledger::detail::PgConn::connect(url);
    REQUIRE_MESSAGE(conn.has_value(), (conn ? "" : conn.error().message));
    auto done = (*conn)->query("SET search_path TO pjats, public", {});
    REQUIRE(done);
    auto rows = (*conn)->query(sql, {});
    REQUIRE_MESSAGE(rows.has_value(), (rows ? "" : rows.error().message));
}

// A fresh ledger location of one backend, removed at the end of the test.
class TestLedger {
  public:
    explicit TestLedger(const std::string& kind) {
        if (kind == SqliteBackend::kind) {
            m_location.path = m_dir.file("l.db");
            return;
        }
        const std::string base = pg_base_url();
        if (base.empty()) {
            const char* required = std::getenv("PJATS_TEST_PG_REQUIRED");
            if (required != nullptr && std::string(required) == "1") {
                FAIL("PostgreSQL is required (PJATS_TEST_PG_REQUIRED=1) but no test cluster runs");
            }
            std::printf("PJATS_PG_SKIPPED: no PostgreSQL test cluster (see tests/support/pg_cluster.sh)\n");
            return;
        }
        static std::atomic<int> counter{0};
        m_database = "pjats_t_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        m_admin = base + "postgres";
        pg_exec(m_admin, "CREATE DATABASE " + m_database);
        m_location.url = base + m_database;
    }

    TestLedger(const TestLedger&) = delete;
    TestLedger& operator=(const TestLedger&) = delete;

    ~TestLedger() {
        if (!m_database.empty()) {
            auto conn = ledger::detail::PgConn::connect(m_admin);
            if (conn) {
                static_cast<void>((*conn)->query("DROP DATABASE IF EXISTS " + m_database
                                                     + " WITH (FORCE)",
                                                 {}));
            }
        }
    }

    // false: a PostgreSQL case without a cluster (skipped).
    bool available() const { return !m_location.path.empty() || !m_location.url.empty(); }
    bool postgres() const { return m_location.postgres(); }
    const ledger::Location& location() const { return m_location; }

    std::unique_ptr<ledger::Ledger> open(const ledger::OpenOptions& options = {}) const {
        auto opened = ledger::open_location(m_location, options);
        REQUIRE_MESSAGE(opened.has_value(), (opened ? "" : opened.error().message));
        return std::move(*opened);
    }

    ledger::LedgerOpener opener() const {
        const ledger::Location location = m_location;
        return [location] { return ledger::open_location(location); };
    }

    // Runs SQL on the ledger's database from outside any Ledger (same table names on both).
    void exec(const std::string& sql) const {
        if (postgres()) {
            pg_exec(m_location.url, sql);
        } else {
            RawDb(m_location.path).exec(sql);
        }
    }

  private:
    TempDir m_dir;
    ledger::Location m_location;
    std::string m_database;
    std::string m_admin;
};

#define PJATS_REQUIRE_BACKEND(db)                                                                  \
    do {                                                                                           \
        if (!(db).available()) {                                                                   \
            return;                                                                                \
        }                                                                                          \
    } while (false)

} // namespace pjats::ledger_test

TYPE_TO_STRING_AS("sqlite", pjats::ledger_test::SqliteBackend);
TYPE_TO_STRING_AS("postgresql", pjats::ledger_test::PostgresBackend);
