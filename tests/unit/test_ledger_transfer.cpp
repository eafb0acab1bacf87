// Export and import (JSON Lines) between backends, and the ledger-wide sync lock.

#include "test_ledger_backends.hpp"

#include <pjats/ledger/ledger.hpp>
#include <pjats/ledger/transfer.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>

using namespace pjats;
using namespace pjats::ledger;
using namespace pjats::ledger_test;

namespace {

const Key k_sent{"1042", "lever", "", "https://api.lever.co#user:u1"};
const Key k_pending{"1043", "lever", "posting:p", "https://api.lever.co#user:u1"};
const Key k_review{"1044", "greenhouse", "job:7", "https://harvest.greenhouse.io#user:7"};

// A ledger with one row per interesting state, a cursor and metadata.
void fill(Ledger& ledger) {
    RunIdentity run = this_process();
    run.run_id = "run-source";
    REQUIRE(ledger.begin_run(run, "test"));
    REQUIRE(*ledger.claim(k_sent, "ada@example.com", 0));
    REQUIRE(ledger.mark_sent(k_sent, "opp-1"));
    REQUIRE(*ledger.claim(k_sent, "ada.new@example.com", 1));
    REQUIRE(ledger.record_credit(k_sent, "admin@acme.example"));
    REQUIRE(ledger.mark_sent(k_sent, "opp-2"));
    REQUIRE(*ledger.claim(k_pending, "bob@example.com", 0));
    REQUIRE(*ledger.claim(k_review, "", 0));
    REQUIRE(ledger.mark_review(k_review, "dropped \"after\" commit\nline two"));
    REQUIRE(ledger.set_cursor("acct|job-1", "2024-01-01T00:00:00Z"));
    REQUIRE(ledger.set_meta("last_sync", "1700000000"));
    REQUIRE(ledger.set_meta("posting_fingerprint:x", "abc"));
    REQUIRE(ledger.end_run());
}

Entry must_get(Ledger& ledger, const Key& key) {
    auto got = ledger.get(key);
    REQUIRE(got);
    REQUIRE(got->has_value());
    return **got;
}

} // namespace

TEST_CASE_TEMPLATE("ledger::export_jsonl then import_jsonl into the other backend keeps every row",
                   Backend, PJATS_LEDGER_BACKENDS) {
    // From this backend into the other one.
    TestLedger from(Backend::kind);
    PJATS_REQUIRE_BACKEND(from);
    TestLedger to(from.postgres() ? SqliteBackend::kind : PostgresBackend::kind);
    PJATS_REQUIRE_BACKEND(to);
    auto source = from.open();
    fill(*source);

    std::ostringstream dump;
    auto counts = export_jsonl(*source, dump);
    REQUIRE(counts);
    CHECK(counts->rows == 3);
    CHECK(counts->cursors == 1);
    CHECK(counts->meta == 3); // lineage, last_sync, the fingerprint

    auto target = to.open();
    const std::string target_lineage = *target->lineage();
    std::istringstream in(dump.str());
    auto report = import_jsonl(*target, in, "dump.jsonl");
    REQUIRE_MESSAGE(report.has_value(), (report ? "" : report.error().message));
    CHECK(report->rows_added == 3);
    CHECK(report->pending_added == 1);
    CHECK(report->rows_kept.empty());
    CHECK(report->cursors_added == 1);
    CHECK(report->meta_added == 2);

    const Entry sent = must_get(*target, k_sent);
    CHECK(sent.state == State::sent);
    CHECK(sent.remote_id == "opp-2");
    CHECK(sent.previous_remote_ids == "opp-1");
    CHECK(sent.credited_to == "admin@acme.example");
    CHECK(sent.lookup_hint == "ada@example.com ada.new@example.com");
    CHECK(sent.attempts == 2);
    CHECK(sent.version == 2);
    const Entry pending = must_get(*target, k_pending);
    CHECK(pending.state == State::pending);
    CHECK(pending.holder == "run-source");
    // The run that held it is not in the target's runs: an unknown outcome to resolve.
    auto holder = target->holder_status(pending.holder);
    REQUIRE(holder);
    CHECK(holder->state == HolderState::gone);
    const Entry review = must_get(*target, k_review);
    CHECK(review.state == State::review);
    CHECK(review.last_error == "dropped \"after\" commit\nline two");
    CHECK(*target->cursor("acct|job-1") == "2024-01-01T00:00:00Z");
    CHECK(*target->meta("last_sync") == "1700000000");
    CHECK(*target->meta("posting_fingerprint:x") == "abc");
    CHECK(*target->lineage() == target_lineage); // the target stays its own ledger

    // Importing again changes nothing and reports what it kept.
    std::istringstream again(dump.str());
    auto second = import_jsonl(*target, again, "dump.jsonl");
    REQUIRE(second);
    CHECK(second->rows_added == 0);
    CHECK(second->rows_kept.size() == 3);
    CHECK(second->cursors_kept == 1);
    CHECK(second->meta_kept == 2);
}

TEST_CASE_TEMPLATE("ledger::import_jsonl keeps an existing row and refuses malformed input",
                   Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = db.open();
    REQUIRE(ledger->mark_sent(k_sent, "mine"));
    const std::string header = R"({"kind":"pj-ats-ledger","format":1,"lineage":"x"})";
    const std::string row =
        R"({"kind":"send","account":"https://api.lever.co#user:u1","candidate_id":"1042",)"
        R"("target":"lever","destination":"","state":"sent","remote_id":"theirs","version":3})";
    std::istringstream in(header + "\n" + row + "\n");
    auto report = import_jsonl(*ledger, in, "f");
    REQUIRE(report);
    REQUIRE(report->rows_kept.size() == 1);
    CHECK(report->rows_kept.front().candidate_id == "1042");
    CHECK(must_get(*ledger, k_sent).remote_id == "mine");

    SUBCASE("no header") {
        std::istringstream bad(row + "\n");
        auto refused = import_jsonl(*ledger, bad, "f");
        REQUIRE_FALSE(refused);
        CHECK(refused.error().kind == ErrorKind::validation);
        CHECK(refused.error().message.find("f:1") != std::string::npos);
    }
    SUBCASE("a bad state, named with its line") {
        std::istringstream bad(header + "\n" + R"({"kind":"send","candidate_id":"9","target":"lever","state":"lost"})" + "\n");
        auto refused = import_jsonl(*ledger, bad, "f");
        REQUIRE_FALSE(refused);
        CHECK(refused.error().message.find("f:2") != std::string::npos);
        CHECK(refused.error().message.find("state") != std::string::npos);
    }
    SUBCASE("not JSON") {
        std::istringstream bad(header + "\nnot json\n");
        CHECK_FALSE(import_jsonl(*ledger, bad, "f"));
    }
    SUBCASE("empty") {
        std::istringstream bad("");
        CHECK_FALSE(import_jsonl(*ledger, bad, "f"));
    }
}

TEST_CASE_TEMPLATE("ledger::Ledger::try_sync_lock", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto first = db.open();
    auto second = db.open();
    auto a = first->try_sync_lock("https://api.lever.co#user:u1");
    REQUIRE(a);
    CHECK(*a);
    auto b = second->try_sync_lock("https://api.lever.co#user:u1");
    REQUIRE(b);
    auto other_account = second->try_sync_lock("https://api.lever.co#user:u2");
    REQUIRE(other_account);
    CHECK(*other_account);
    if (db.postgres()) {
        CHECK_FALSE(*b); // held by the first connection, wherever it runs
        first.reset();   // the connection closes: the lock goes with it
        // The server ends the closed session asynchronously: allow it a moment.
        bool acquired = false;
        for (int i = 0; i < 100 && !acquired; ++i) {
            auto after = second->try_sync_lock("https://api.lever.co#user:u1");
            REQUIRE(after);
            acquired = *after;
            if (!acquired) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
        CHECK(acquired);
    } else {
        CHECK(*b); // SQLite: the local flock of `sync` excludes, not the ledger
    }
}
