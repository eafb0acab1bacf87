// Listing rows and resolving unknown outcomes by hand (ledger::list_entries, resolve).

#include "test_ledger_support.hpp"

#include <pjats/ledger/ledger.hpp>
#include <pjats/ledger/review.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace pjats;
using namespace pjats::ledger;
using namespace pjats::ledger_test;

namespace {

const std::string k_account = "https://harvest.greenhouse.io#user:7";

RunIdentity identity(const std::string& id) {
    RunIdentity run = this_process();
    run.run_id = id;
    return run;
}

std::unique_ptr<Ledger> run_ledger(const std::string& path, const std::string& run_id) {
    auto ledger = open_ok(path);
    REQUIRE(ledger->begin_run(identity(run_id), "test"));
    return ledger;
}

// A row of `run` left in `state` (a claim, then the outcome).
void put(Ledger& run, const Key& key, State state, const std::string& remote_id = "") {
    auto row = run.get(key);
    REQUIRE(row);
    auto claimed = run.claim(key, "ada@example.com", *row ? (*row)->version : 0);
    REQUIRE(claimed);
    REQUIRE(*claimed);
    switch (state) {
    case State::sent:
        REQUIRE(run.mark_sent(key, remote_id));
        break;
    case State::failed:
        REQUIRE(run.mark_failed(key, "HTTP 422: name", false));
        break;
    case State::review:
        REQUIRE(run.mark_review(key, "timed out"));
        break;
    case State::pending:
        break;
    }
}

Resolution found(const std::string& id) {
    return Resolution{Resolution::Verdict::found, id};
}

Resolution not_sent() {
    return Resolution{Resolution::Verdict::not_sent, ""};
}

} // namespace

TEST_CASE("ledger::list_entries filters by state and target") {
    TempDir dir;
    auto ledger = run_ledger(dir.file("l.db"), "run-a");
    put(*ledger, Key{"1", "greenhouse", "", k_account}, State::sent, "11");
    put(*ledger, Key{"2", "greenhouse", "job:4", k_account}, State::review);
    put(*ledger, Key{"3", "lever", "posting:p", "https://api.lever.co#user:u"}, State::review);
    put(*ledger, Key{"4", "lever", "", "https://api.lever.co#user:u"}, State::failed);

    auto all = list_entries(*ledger, std::nullopt, "");
    REQUIRE(all);
    CHECK(all->size() == 4);
    auto review = list_entries(*ledger, State::review, "");
    REQUIRE(review);
    CHECK(review->size() == 2);
    auto lever_review = list_entries(*ledger, State::review, "lever");
    REQUIRE(lever_review);
    REQUIRE(lever_review->size() == 1);
    CHECK(lever_review->front().key.candidate_id == "3");
    auto none = list_entries(*ledger, State::pending, "greenhouse");
    REQUIRE(none);
    CHECK(none->empty());

    CHECK(state_from_text("review") == State::review);
    CHECK(state_from_text("sent") == State::sent);
    CHECK_FALSE(state_from_text("Sent").has_value());
    CHECK_FALSE(state_from_text("").has_value());
}

TEST_CASE("ledger::resolve --found marks a review row sent with the remote id") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    auto first = run_ledger(dir.file("l.db"), "run-first");
    const Key key{"1042", "greenhouse", "job:4690", k_account};
    put(*first, key, State::review);
    REQUIRE(first->end_run());

    auto me = run_ledger(path, "run-resolve");
    auto result = resolve(*me, key, found("998877"));
    REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
    CHECK(result->before.state == State::review);
    CHECK(result->after == State::sent);
    CHECK(result->remote_id == "998877");
    auto row = me->get(key);
    REQUIRE(row);
    REQUIRE(row->has_value());
    CHECK((*row)->state == State::sent);
    CHECK((*row)->remote_id == "998877");
    CHECK((*row)->last_error.empty());

    // Resolved once: a second resolve is refused, the row stays as it is.
    auto again = resolve(*me, key, not_sent());
    REQUIRE_FALSE(again);
    CHECK(again.error().kind == ErrorKind::failure);
    CHECK(again.error().message.find("already sent (998877)") != std::string::npos);
    CHECK((*me->get(key))->state == State::sent);
}

TEST_CASE("ledger::resolve --not-sent removes the row so the next run sends it") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    const Key key{"1042", "greenhouse", "", k_account};
    {
        auto first = run_ledger(path, "run-first");
        put(*first, key, State::review);
        REQUIRE(first->end_run());
    }
    auto me = run_ledger(path, "run-resolve");
    auto result = resolve(*me, key, not_sent());
    REQUIRE(result);
    CHECK(result->removed);
    auto row = me->get(key);
    REQUIRE(row);
    CHECK_FALSE(row->has_value());
    // A plain send can claim it again as a new row.
    auto claimed = me->claim(key, "", 0);
    REQUIRE(claimed);
    CHECK(*claimed);
}

TEST_CASE("ledger::resolve --not-sent after a forced re-send keeps the earlier success") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    const Key key{"1042", "greenhouse", "", k_account};
    auto first = run_ledger(path, "run-first");
    put(*first, key, State::sent, "111");
    put(*first, key, State::review); // --force, outcome unknown
    REQUIRE(first->end_run());
    auto me = run_ledger(path, "run-resolve");
    auto result = resolve(*me, key, not_sent());
    REQUIRE(result);
    CHECK_FALSE(result->removed);
    CHECK(result->after == State::sent);
    CHECK(result->remote_id == "111");
    const Entry row = **me->get(key);
    CHECK(row.state == State::sent);
    CHECK(row.remote_id == "111");
}

TEST_CASE("ledger::resolve refuses what it must not touch") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    auto me = run_ledger(path, "run-me");

    SUBCASE("no such row") {
        auto result = resolve(*me, Key{"9", "greenhouse", "", k_account}, not_sent());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == ErrorKind::not_found);
        CHECK(result.error().message.find("9 -> greenhouse") != std::string::npos);
    }
    SUBCASE("another account's row is not this one") {
        const Key other{"9", "greenhouse", "", "https://harvest.greenhouse.io#user:8"};
        put(*me, other, State::review);
        auto result = resolve(*me, Key{"9", "greenhouse", "", k_account}, found("1"));
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == ErrorKind::not_found);
        CHECK((*me->get(other))->state == State::review);
    }
    SUBCASE("a failed row") {
        const Key key{"9", "lever", "", "https://api.lever.co#user:u"};
        put(*me, key, State::failed);
        auto result = resolve(*me, key, not_sent());
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == ErrorKind::failure);
        CHECK((*me->get(key))->state == State::failed);
    }
    SUBCASE("a pending row of a live run is in flight") {
        auto other = run_ledger(path, "run-other");
        const Key key{"9", "greenhouse", "", k_account};
        put(*other, key, State::pending);
        auto result = resolve(*me, key, found("5"));
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == ErrorKind::conflict);
        CHECK(result.error().message.find("in flight") != std::string::npos);
        const Entry row = **me->get(key);
        CHECK(row.state == State::pending);
        CHECK(row.holder == "run-other");

        // Once that run has ended, its pending row is an unknown outcome: resolvable.
        REQUIRE(other->end_run());
        auto resolved = resolve(*me, key, found("5"));
        REQUIRE(resolved);
        CHECK(resolved->before.state == State::pending);
        CHECK((*me->get(key))->remote_id == "5");
    }
    SUBCASE("a malformed remote id") {
        const Key key{"9", "greenhouse", "", k_account};
        put(*me, key, State::review);
        for (const char* bad : {"", "12a", "1 2", "../1"}) {
            auto result = resolve(*me, key, found(bad));
            REQUIRE_FALSE(result);
            CHECK(result.error().kind == ErrorKind::usage);
        }
        CHECK((*me->get(key))->state == State::review);
        CHECK(check_remote_id("lever", "2b6c7e1a-0d4f-4b7e-9c2a-1f0e9d8c7b6a"));
        CHECK_FALSE(check_remote_id("lever", "a/b"));
        CHECK_FALSE(check_remote_id("lever", std::string(65, 'a')));
    }
}
