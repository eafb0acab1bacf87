// The PostgreSQL backend's own surface: locations and URLs (no server needed), opening with
// the profile's lineage, schema versions, server-clock leases.

#include "test_ledger_backends.hpp"

#include <pjats/ledger/ledger.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using namespace pjats;
using namespace pjats::ledger;
using namespace pjats::ledger_test;
using pjats::test::EnvGuard;

TEST_CASE("ledger::check_postgres_url") {
    CHECK(check_postgres_url("postgresql://pjats@db.example:5432/pjats"));
    CHECK(check_postgres_url("postgres://pjats@db.example/pjats?sslmode=verify-full&sslrootcert=/ca.pem"));
    CHECK(check_postgres_url("postgresql:///pjats?service=team"));
    for (const std::string url : {"postgresql://pjats:s3cret@db.example/pjats",
                                  "postgresql://db.example/pjats?sslmode=require&password=s3cret",
                                  "postgresql://db.example/pjats?password=s3cret"}) {
        CAPTURE(url);
        auto refused = check_postgres_url(url);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().kind == ErrorKind::config);
        CHECK(refused.error().message.find("s3cret") == std::string::npos);
        CHECK(refused.error().detail.find(".pgpass") != std::string::npos);
        CHECK(refused.error().message.find("PGSERVICE") != std::string::npos);
        CHECK(refused.error().message.find("sslmode=verify-full") != std::string::npos);
    }
    CHECK_FALSE(check_postgres_url("mysql://db/x"));
    CHECK_FALSE(check_postgres_url("/var/lib/pj-ats.db"));
}

TEST_CASE("ledger::location_for: PJ_ATS_LEDGER_URL, then the profile, then the SQLite file") {
    TempDir dir;
    EnvGuard state("XDG_STATE_HOME", dir.path());
    {
        EnvGuard env("PJ_ATS_LEDGER_URL", std::nullopt);
        const Location local = location_for("work", "");
        CHECK_FALSE(local.postgres());
        CHECK(local.path == dir.path() + "/pj-ats/work.db");
        CHECK(local.describe() == local.path);
        const Location team = location_for("work", "postgresql://u@h/db");
        CHECK(team.postgres());
        CHECK_FALSE(team.from_env);
        CHECK(team.describe() == "postgresql://u@h/db");
    }
    EnvGuard env("PJ_ATS_LEDGER_URL", "postgresql://u@other/db");
    const Location overridden = location_for("work", "postgresql://u@h/db");
    CHECK(overridden.url == "postgresql://u@other/db");
    CHECK(overridden.from_env);
}

TEST_CASE("ledger::open_location of an unreachable server is a clear error") {
    Location location;
    location.url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2";
    auto opened = open_location(location);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().message.find("cannot open ledger postgresql://nobody@127.0.0.1:1/none")
          != std::string::npos);
    CHECK((opened.error().kind == ErrorKind::temporary || opened.error().kind == ErrorKind::config));
    auto exists = ledger_exists(location);
    CHECK_FALSE(exists);
}

TEST_CASE("ledger::open_location of PostgreSQL checks the profile's lineage") {
    TestLedger db(PostgresBackend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto exists = ledger_exists(db.location());
    REQUIRE(exists);
    CHECK_FALSE(*exists); // an empty database: nothing created by looking

    OpenOptions remembered;
    remembered.expected_lineage = "0123456789abcdef0123456789abcdef";
    auto missing = open_location(db.location(), remembered);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind == ErrorKind::config);
    CHECK(missing.error().message.find("has no pj-ats ledger") != std::string::npos);
    exists = ledger_exists(db.location());
    REQUIRE(exists);
    CHECK_FALSE(*exists); // refusing created nothing either

    auto ledger = db.open();
    exists = ledger_exists(db.location());
    REQUIRE(exists);
    CHECK(*exists);
    auto lineage = ledger->lineage();
    REQUIRE(lineage);
    CHECK(lineage->size() == 32);
    remembered.expected_lineage = *lineage;
    CHECK(open_location(db.location(), remembered));
    remembered.expected_lineage = "ffffffffffffffffffffffffffffffff";
    auto other = open_location(db.location(), remembered);
    REQUIRE_FALSE(other);
    CHECK(other.error().message.find("different ledger") != std::string::npos);
}

TEST_CASE("ledger::open_location refuses a PostgreSQL schema from a newer pj-ats") {
    TestLedger db(PostgresBackend::kind);
    PJATS_REQUIRE_BACKEND(db);
    db.open();
    db.exec("UPDATE pjats.schema_version SET version = 99");
    auto opened = open_location(db.location());
    REQUIRE_FALSE(opened);
    CHECK(opened.error().kind == ErrorKind::config);
    CHECK(opened.error().message.find("newer pj-ats (schema 99)") != std::string::npos);
}

TEST_CASE("ledger::PostgreSQL leases use the server's clock") {
    // A run of another machine whose heartbeat the server recorded just now is alive, and
    // its last sign of life is handed out in this machine's clock.
    TestLedger db(PostgresBackend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto me = db.open();
    RunIdentity self = this_process();
    REQUIRE(me->begin_run(self, "test"));
    auto other = db.open();
    RunIdentity remote = this_process();
    remote.run_id = "run-remote";
    remote.host = "another-boot-id";
    REQUIRE(other->begin_run(remote, "test"));
    auto status = me->holder_status("run-remote");
    REQUIRE(status);
    CHECK(status->state == HolderState::alive);
    using namespace std::chrono;
    const auto now = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    CHECK(status->last_seen_ms <= now);
    CHECK(status->last_seen_ms > now - 5'000);
    // Claims record the attempt time, also converted.
    REQUIRE(*me->claim({"c", "lever", ""}, "", 0));
    auto entry = me->get({"c", "lever", ""});
    REQUIRE(entry);
    CHECK((*entry)->attempt_at_ms > now - 5'000);
    CHECK((*entry)->attempt_at_ms <= now + 5'000);
}
