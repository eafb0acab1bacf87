// Who a send was credited to (Ledger::record_credit, sends.credited_to), on both backends.

#include "ledger/schema.hpp"
#include "test_ledger_backends.hpp"

#include <pjats/ledger/ledger.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace pjats;
using namespace pjats::ledger;
using namespace pjats::ledger_test;

namespace {

std::unique_ptr<Ledger> run_ledger(const TestLedger& db, const std::string& run_id) {
    auto ledger = db.open();
    RunIdentity run = this_process();
    run.run_id = run_id;
    REQUIRE(ledger->begin_run(run, "test"));
    return ledger;
}

Entry must_get(Ledger& ledger, const Key& key) {
    auto got = ledger.get(key);
    REQUIRE(got);
    REQUIRE(got->has_value());
    return **got;
}

} // namespace

TEST_CASE_TEMPLATE("ledger::Ledger::record_credit records who the claimed send credits",
                   Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto a = run_ledger(db, "run-a");
    const Key key{"1001", "greenhouse", "", "https://api.greenhouse.io#user:1234"};

    REQUIRE(a->claim(key, "c@example.com", 0).value());
    CHECK(must_get(*a, key).credited_to.empty());
    REQUIRE(a->record_credit(key, "alan.turing@acme.example"));
    REQUIRE(a->mark_sent(key, "100000001"));

    const Entry entry = must_get(*a, key);
    CHECK(entry.state == State::sent);
    CHECK(entry.credited_to == "alan.turing@acme.example");
    auto listed = a->list(std::nullopt);
    REQUIRE(listed);
    REQUIRE(listed->size() == 1);
    CHECK(listed->front().credited_to == "alan.turing@acme.example");
}

TEST_CASE_TEMPLATE("ledger::Ledger::record_credit is fenced by the claim", Backend,
                   PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto a = run_ledger(db, "run-a");
    auto b = run_ledger(db, "run-b");
    const Key key{"1002", "lever", "", "https://api.lever.co#user:u1"};

    // No row: nothing to credit.
    auto none = a->record_credit(key, "grace.hopper@acme.example");
    REQUIRE_FALSE(none);
    CHECK(none.error().kind == ErrorKind::conflict);

    REQUIRE(a->claim(key, "c@example.com", 0).value());
    REQUIRE(a->record_credit(key, "grace.hopper@acme.example"));
    // Run b takes the row over: a may no longer write who it credits.
    REQUIRE(b->claim(key, "c@example.com", must_get(*b, key).version).value());
    auto lost = a->record_credit(key, "alan.turing@acme.example");
    REQUIRE_FALSE(lost);
    CHECK(lost.error().kind == ErrorKind::conflict);
    CHECK(must_get(*b, key).credited_to == "grace.hopper@acme.example");
    REQUIRE(b->record_credit(key, "user:u1"));
    CHECK(must_get(*a, key).credited_to == "user:u1");
}

TEST_CASE_TEMPLATE("ledger::Ledger::insert_entry keeps credited_to", Backend,
                   PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = db.open();
    Entry entry;
    entry.key = Key{"1003", "greenhouse", "job:4690", "https://api.greenhouse.io#user:1234"};
    entry.state = State::sent;
    entry.remote_id = "100000009";
    entry.updated_at = 1700000000;
    entry.credited_to = "recruiter@acme.example";
    REQUIRE(ledger->insert_entry(entry).value());
    CHECK(must_get(*ledger, entry.key).credited_to == "recruiter@acme.example");
}

TEST_CASE_TEMPLATE("ledger::open_location adds credited_to to the previous schema, keeping rows",
                   Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    const Key key{"1042", "greenhouse", "", "https://api.greenhouse.io#user:1234"};
    {
        auto ledger = db.open();
        REQUIRE(ledger->mark_pending(key, "a@example.com"));
        REQUIRE(ledger->mark_sent(key, "100000001"));
    }
    // Back to what the schema before credited_to (and the tables after it) wrote: SQLite
    // version 2, PostgreSQL version 1.
    db.exec("ALTER TABLE sends DROP COLUMN credited_to");
    db.exec("DROP TABLE tracking");
    db.exec("DROP TABLE send_steps");
    if (db.postgres()) {
        db.exec("UPDATE schema_version SET version = 1");
    } else {
        db.exec("PRAGMA user_version = 2");
    }
    auto ledger = db.open();
    const Entry entry = must_get(*ledger, key);
    CHECK(entry.state == State::sent);
    CHECK(entry.remote_id == "100000001");
    CHECK(entry.credited_to.empty());
    REQUIRE(ledger->mark_pending(key, "a@example.com"));
    REQUIRE(ledger->record_credit(key, "grace.hopper@acme.example"));
    CHECK(must_get(*ledger, key).credited_to == "grace.hopper@acme.example");
}
