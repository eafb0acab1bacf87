// Claims: one live run per send, compare-and-swap on the row version, outcomes fenced by
// the holder, holder liveness (same machine: process; other machine: lease), accounts.

#include "test_ledger_backends.hpp"

#include <pjats/ledger/ledger.hpp>
#include <pjats/ledger/run.hpp>

#include <doctest/doctest.h>

#include <unistd.h>

#include <string>

using namespace pjats;
using namespace pjats::ledger;
using namespace pjats::ledger_test;

namespace {

RunIdentity identity(const std::string& id) {
    RunIdentity run = this_process();
    run.run_id = id;
    return run;
}

// A ledger connection acting for a run of its own.
std::unique_ptr<Ledger> run_ledger(const TestLedger& db, const std::string& run_id) {
    auto ledger = db.open();
    REQUIRE(ledger->begin_run(identity(run_id), "test"));
    return ledger;
}

Entry must_get(Ledger& ledger, const Key& key) {
    auto got = ledger.get(key);
    REQUIRE(got);
    REQUIRE(got->has_value());
    return **got;
}

} // namespace

TEST_CASE_TEMPLATE("ledger::Ledger::claim is a compare-and-swap on the row version", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto a = run_ledger(db, "run-a");
    auto b = run_ledger(db, "run-b");
    const Key key{"1042", "lever", "", "https://api.lever.co#user:u1"};

    auto first = a->claim(key, "ada@example.com", 0);
    REQUIRE(first);
    CHECK(*first);
    // The row exists now: a claim expecting no row loses.
    auto second = b->claim(key, "ada@example.com", 0);
    REQUIRE(second);
    CHECK_FALSE(*second);

    Entry entry = must_get(*a, key);
    CHECK(entry.state == State::pending);
    CHECK(entry.holder == "run-a");
    CHECK(entry.version == 1);
    CHECK(entry.attempts == 1);
    CHECK(entry.attempt_at_ms > 0);
    CHECK(entry.lookup_hint == "ada@example.com");

    // Both read version 1; only the first claim wins.
    auto b_wins = b->claim(key, "ada.new@example.com", 1);
    REQUIRE(b_wins);
    CHECK(*b_wins);
    auto a_loses = a->claim(key, "ada@example.com", 1);
    REQUIRE(a_loses);
    CHECK_FALSE(*a_loses);

    entry = must_get(*a, key);
    CHECK(entry.holder == "run-b");
    CHECK(entry.version == 2);
    CHECK(entry.attempts == 2);
    // Every e-mail the record had at claim time stays searchable.
    CHECK(entry.lookup_hint == "ada@example.com ada.new@example.com");
}

TEST_CASE_TEMPLATE("ledger::Ledger outcomes are fenced by the holder", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto a = run_ledger(db, "run-a");
    auto b = run_ledger(db, "run-b");
    const Key key{"1042", "greenhouse", "", "https://harvest.greenhouse.io#user:7"};

    REQUIRE(*a->claim(key, "", 0));
    // Run b takes the row over (a was judged gone).
    REQUIRE(*b->claim(key, "", 1));

    auto late = a->mark_sent(key, "100000001");
    REQUIRE_FALSE(late);
    CHECK(late.error().kind == ErrorKind::conflict);
    CHECK_FALSE(a->mark_failed(key, "503", true));
    CHECK_FALSE(a->mark_review(key, "dropped"));
    CHECK(must_get(*a, key).state == State::pending);

    REQUIRE(b->mark_sent(key, "100000002"));
    const Entry entry = must_get(*a, key);
    CHECK(entry.state == State::sent);
    CHECK(entry.remote_id == "100000002");
}

TEST_CASE_TEMPLATE("ledger::Ledger rows of different accounts never see each other", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = run_ledger(db, "run-a");
    const Key sandbox{"1042", "greenhouse", "", "http://127.0.0.1:8080#user:1"};
    const Key production{"1042", "greenhouse", "", "https://harvest.greenhouse.io#user:7"};

    REQUIRE(*ledger->claim(sandbox, "", 0));
    REQUIRE(ledger->mark_sent(sandbox, "1"));
    auto other = ledger->get(production);
    REQUIRE(other);
    CHECK_FALSE(other->has_value());
    REQUIRE(*ledger->claim(production, "", 0));
    REQUIRE(ledger->mark_sent(production, "2"));
    CHECK(must_get(*ledger, sandbox).remote_id == "1");
    CHECK(must_get(*ledger, production).remote_id == "2");
}

TEST_CASE_TEMPLATE("ledger::Ledger::holder_status", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto me = run_ledger(db, "run-me");

    SUBCASE("no holder") {
        auto status = me->holder_status("");
        REQUIRE(status);
        CHECK(status->state == HolderState::none);
    }
    SUBCASE("this run") {
        auto status = me->holder_status("run-me");
        REQUIRE(status);
        CHECK(status->state == HolderState::self);
    }
    SUBCASE("another live run of this machine, then ended") {
        auto other = run_ledger(db, "run-other");
        auto status = me->holder_status("run-other");
        REQUIRE(status);
        CHECK(status->state == HolderState::alive);
        CHECK(status->where.find("this machine") != std::string::npos);
        REQUIRE(other->end_run());
        status = me->holder_status("run-other");
        REQUIRE(status);
        CHECK(status->state == HolderState::gone);
    }
    SUBCASE("a run whose process is gone (a pid reused by another process)") {
        auto other = db.open();
        RunIdentity dead = identity("run-dead");
        dead.pid_start = "1"; // not this process's start time
        REQUIRE(other->begin_run(dead, "test"));
        auto status = me->holder_status("run-dead");
        REQUIRE(status);
        CHECK(status->state == HolderState::gone);
    }
    SUBCASE("a run never recorded") {
        auto status = me->holder_status("run-unknown");
        REQUIRE(status);
        CHECK(status->state == HolderState::gone);
    }
    SUBCASE("another machine: alive while its lease is renewed") {
        auto other = db.open();
        RunIdentity remote = identity("run-remote");
        remote.host = "another-boot-id";
        remote.pid = 1;
        REQUIRE(other->begin_run(remote, "test"));
        auto status = me->holder_status("run-remote");
        REQUIRE(status);
        CHECK(status->state == HolderState::alive);
        CHECK(status->where.find("another machine") != std::string::npos);
        // No heartbeat for longer than the lease: gone.
        db.exec("UPDATE runs SET heartbeat_at = heartbeat_at - "
                 + std::to_string(k_lease_ms + 1000) + " WHERE run_id = 'run-remote'");
        status = me->holder_status("run-remote");
        REQUIRE(status);
        CHECK(status->state == HolderState::gone);
        // A heartbeat renews it.
        REQUIRE(other->heartbeat());
        status = me->holder_status("run-remote");
        REQUIRE(status);
        CHECK(status->state == HolderState::alive);
    }
}

TEST_CASE_TEMPLATE("ledger::RunLease records a live run and ends it on destruction", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    const LedgerOpener open = db.opener();
    auto observer = db.open();
    std::string run_id;
    {
        auto lease = RunLease::start(open, "send");
        REQUIRE(lease);
        run_id = (*lease)->identity().run_id;
        CHECK(run_id.size() == 32);
        CHECK((*lease)->identity().pid == ::getpid());
        auto status = observer->holder_status(run_id);
        REQUIRE(status);
        CHECK(status->state == HolderState::alive);
    }
    auto status = observer->holder_status(run_id);
    REQUIRE(status);
    CHECK(status->state == HolderState::gone);
}

// Two containers on one kernel share the boot id but not their pids: a run in another pid
// namespace is judged by its lease, never by probing "its" pid here (issue 23, item 2).
TEST_CASE_TEMPLATE("ledger: a holder in another pid namespace is judged by its lease", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    const RunIdentity mine = this_process();
    REQUIRE(mine.host.find("/pidns:") != std::string::npos);
    auto me = run_ledger(db, "run-me");
    auto other = db.open();
    RunIdentity container = identity("run-container");
    // Same boot, another pid namespace; its pid is this very process's pid and start time,
    // which a pid probe would take for alive, and its heartbeat is stale.
    container.host = mine.host.substr(0, mine.host.find("/pidns:")) + "/pidns:4026500000";
    REQUIRE(other->begin_run(container, "test"));
    auto status = me->holder_status("run-container");
    REQUIRE(status);
    CHECK(status->state == HolderState::alive);
    CHECK(status->by_lease);
    db.exec("UPDATE runs SET heartbeat_at = heartbeat_at - " + std::to_string(k_lease_ms + 1000)
            + " WHERE run_id = 'run-container'");
    status = me->holder_status("run-container");
    REQUIRE(status);
    CHECK(status->state == HolderState::gone); // its pid (ours) exists, but it is not probed
    // In our own namespace the same pid is probed: alive whatever the heartbeat.
    auto local = db.open();
    REQUIRE(local->begin_run(identity("run-local"), "test"));
    db.exec("UPDATE runs SET heartbeat_at = heartbeat_at - " + std::to_string(k_lease_ms + 1000)
            + " WHERE run_id = 'run-local'");
    status = me->holder_status("run-local");
    REQUIRE(status);
    CHECK(status->state == HolderState::alive);
    CHECK_FALSE(status->by_lease);
}

// Fencing: a run re-confirms its claim before a request; a run that took the row over (or
// claimed on an older read) wins, and the confirm of the other bumps the version so a
// takeover based on an earlier read fails.
TEST_CASE_TEMPLATE("ledger::Ledger::confirm_claim fences a claim before a request", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto a = run_ledger(db, "run-a");
    auto b = run_ledger(db, "run-b");
    const Key key{"1042", "lever", "posting:p1", "https://api.lever.co#user:u1"};
    REQUIRE(*a->claim(key, "ada@example.com", 0));
    REQUIRE(a->plan_steps(key, {"note"}));
    const Entry seen_by_b = must_get(*b, key);

    SUBCASE("still held: confirmed, and a takeover on the older read fails") {
        auto confirmed = a->confirm_claim(key, "");
        REQUIRE(confirmed);
        CHECK(*confirmed);
        auto taken = b->claim(key, "ada@example.com", seen_by_b.version);
        REQUIRE(taken);
        CHECK_FALSE(*taken);
        CHECK(must_get(*a, key).holder == "run-a");
    }
    SUBCASE("taken over: not confirmed, nothing changed") {
        REQUIRE(*b->claim(key, "ada@example.com", seen_by_b.version));
        auto confirmed = a->confirm_claim(key, "");
        REQUIRE(confirmed);
        CHECK_FALSE(*confirmed);
        CHECK(must_get(*a, key).holder == "run-b");
    }
    SUBCASE("a step") {
        REQUIRE(a->mark_sent(key, "opp-1"));
        auto steps = a->steps(key);
        REQUIRE(steps);
        REQUIRE(steps->size() == 1);
        REQUIRE(*a->claim_step(key, "note", (*steps)[0].version));
        const auto before = (*b->steps(key))[0];
        auto confirmed = a->confirm_claim(key, "note");
        REQUIRE(confirmed);
        CHECK(*confirmed);
        auto taken = b->claim_step(key, "note", before.version);
        REQUIRE(taken);
        CHECK_FALSE(*taken);
        CHECK_FALSE(*b->confirm_claim(key, "note"));
    }
}

TEST_CASE("ledger: a lease renewal gap makes earlier claims re-confirm (CLOCK_BOOTTIME)") {
    const std::string run = "run-fence-" + std::to_string(::getpid());
    CHECK_FALSE(lease_held_since(run, boottime_ms())); // never renewed
    const std::int64_t start = boottime_ms();
    note_renewal(run, start);
    const std::int64_t claimed = boottime_ms();
    CHECK(lease_held_since(run, claimed));
    // A renewal after a gap of more than a third of the lease (the process was stopped, the
    // machine suspended): a claim made before the gap is no longer known to be held...
    note_renewal(run, claimed + lease_ms() / 3 + 1);
    CHECK_FALSE(lease_held_since(run, claimed));
    // ...while a claim made after it is (once the renewal is recent).
    const std::string fresh = run + "-fresh";
    note_renewal(fresh, boottime_ms());
    note_renewal(fresh, boottime_ms());
    CHECK(lease_held_since(fresh, boottime_ms()));
    // No renewal for more than a third of the lease: not held.
    const std::string stale = run + "-stale";
    note_renewal(stale, boottime_ms() - lease_ms() / 3 - 10);
    CHECK_FALSE(lease_held_since(stale, boottime_ms() - lease_ms()));
}
