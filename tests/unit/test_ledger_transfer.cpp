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
    CHECK(counts->meta == 2); // last_sync, the fingerprint (the lineage is in the header)

    auto target = to.open();
    const std::string source_lineage = *source->lineage();
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
    // The empty target continues the exported history.
    CHECK(report->lineage_adopted == source_lineage);
    CHECK(*target->lineage() == source_lineage);

    // Importing again changes nothing and reports what it kept.
    std::istringstream again(dump.str());
    auto second = import_jsonl(*target, again, "dump.jsonl");
    REQUIRE(second);
    CHECK(second->rows_added == 0);
    CHECK(second->rows_kept.size() == 3);
    CHECK(second->cursors_kept == 1);
    CHECK(second->meta_kept == 2);
}

TEST_CASE_TEMPLATE("ledger export -> import -> export is identical: sends, steps, tracking, "
                   "cursors, meta",
                   Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger from(Backend::kind);
    PJATS_REQUIRE_BACKEND(from);
    TestLedger to(from.postgres() ? SqliteBackend::kind : PostgresBackend::kind);
    PJATS_REQUIRE_BACKEND(to);
    TestLedger back(Backend::kind);
    PJATS_REQUIRE_BACKEND(back);
    auto source = from.open();
    fill(*source);
    RunIdentity run = this_process();
    run.run_id = "run-steps";
    REQUIRE(source->begin_run(run, "test"));
    REQUIRE(source->plan_steps(k_sent, {"note", "file"}));
    REQUIRE(*source->claim_step(k_sent, "note", 1));
    REQUIRE(source->finish_step(k_sent, "note", StepState::done, "note-9", ""));
    REQUIRE(*source->claim_step(k_sent, "file", 1));
    REQUIRE(source->finish_step(k_sent, "file", StepState::failed, "", "404 \"gone\""));
    Tracked hired;
    hired.key = k_sent;
    hired.remote_id = "opp-2";
    hired.state = "hired";
    hired.stage = "Hired";
    hired.job = "posting p";
    hired.link = "https://hire.lever.co/candidates/opp-2";
    hired.state_since = 1700000100;
    hired.hired_seen_at = 1700000100; // the first-seen date `hires` reports
    hired.hired_at = 1699990000;
    hired.checked_at = 1700000500;
    REQUIRE(source->put_tracked(hired));

    std::ostringstream first;
    auto counts = export_jsonl(*source, first);
    REQUIRE(counts);
    CHECK(counts->steps == 2);
    CHECK(counts->tracking == 1);

    // Into the other backend and back into this one: every export is the same text.
    auto middle = to.open();
    std::istringstream in(first.str());
    auto imported = import_jsonl(*middle, in, "first.jsonl");
    REQUIRE_MESSAGE(imported.has_value(), (imported ? "" : imported.error().message));
    CHECK(imported->steps_added == 2);
    CHECK(imported->tracking_added == 1);
    std::ostringstream second;
    REQUIRE(export_jsonl(*middle, second));
    CHECK(second.str() == first.str());

    auto last = back.open();
    std::istringstream in2(second.str());
    REQUIRE(import_jsonl(*last, in2, "second.jsonl"));
    std::ostringstream third;
    REQUIRE(export_jsonl(*last, third));
    CHECK(third.str() == first.str());

    // What was carried, read back through the interface.
    auto steps = middle->steps(k_sent);
    REQUIRE(steps);
    REQUIRE(steps->size() == 2);
    CHECK((*steps)[0].name == "file");
    CHECK((*steps)[0].state == StepState::failed);
    CHECK((*steps)[1].name == "note");
    CHECK((*steps)[1].state == StepState::done);
    CHECK((*steps)[1].remote_id == "note-9");
    auto tracked = middle->tracked();
    REQUIRE(tracked);
    REQUIRE(tracked->size() == 1);
    CHECK(tracked->front().hired_seen_at == 1700000100);
    CHECK(tracked->front().hired_at == 1699990000);

    // Importing again keeps what is there.
    std::istringstream again(first.str());
    auto kept = import_jsonl(*middle, again, "first.jsonl");
    REQUIRE(kept);
    CHECK(kept->steps_kept == 2);
    CHECK(kept->tracking_kept == 1);
    CHECK(kept->lineage_adopted.empty());
}

TEST_CASE_TEMPLATE("ledger::import_jsonl keeps an existing row and refuses malformed input",
                   Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = db.open();
    REQUIRE(ledger->mark_sent(k_sent, "mine"));
    const std::string own_lineage = *ledger->lineage();
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
    CHECK(report->lineage_adopted.empty()); // a ledger with history stays its own
    CHECK(*ledger->lineage() == own_lineage);

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
