// Ledger rows: state transitions, attempts, keys, persistence, cursors and metadata.

#include "test_ledger_backends.hpp"

#include <pjats/ledger/ledger.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace pjats;
using namespace pjats::ledger;
using namespace pjats::ledger_test;

namespace {

// The row for `key`; REQUIREs that reading works and that the row exists.
Entry must_get(Ledger& ledger, const Key& key) {
    auto entry = ledger.get(key);
    REQUIRE(entry);
    REQUIRE(entry->has_value());
    return **entry;
}

bool absent(Ledger& ledger, const Key& key) {
    auto entry = ledger.get(key);
    REQUIRE(entry);
    return !entry->has_value();
}

} // namespace

TEST_CASE_TEMPLATE("ledger::Ledger state transitions", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = db.open();
    const Key key{"cand-1", "lever", "posting:abc"};

    CHECK(absent(*ledger, key));

    REQUIRE(ledger->mark_pending(key, "ada@example.com"));
    Entry entry = must_get(*ledger, key);
    CHECK(entry.key.candidate_id == "cand-1");
    CHECK(entry.key.target == "lever");
    CHECK(entry.key.destination == "posting:abc");
    CHECK(entry.state == State::pending);
    CHECK(entry.attempts == 1);
    CHECK(entry.lookup_hint == "ada@example.com");
    CHECK(entry.remote_id.empty());
    CHECK(entry.last_error.empty());
    CHECK(entry.updated_at > 0);

    REQUIRE(ledger->mark_failed(key, "HTTP 503 from Lever", true));
    entry = must_get(*ledger, key);
    CHECK(entry.state == State::failed);
    CHECK(entry.last_error == "HTTP 503 from Lever");
    CHECK(entry.temporary);
    CHECK(entry.attempts == 1);

    // A retry: attempts counts, the stale error is cleared, an empty hint keeps the old one.
    REQUIRE(ledger->mark_pending(key, ""));
    entry = must_get(*ledger, key);
    CHECK(entry.state == State::pending);
    CHECK(entry.attempts == 2);
    CHECK(entry.last_error.empty());
    CHECK_FALSE(entry.temporary);
    CHECK(entry.lookup_hint == "ada@example.com");

    REQUIRE(ledger->mark_sent(key, "opp-42"));
    entry = must_get(*ledger, key);
    CHECK(entry.state == State::sent);
    CHECK(entry.remote_id == "opp-42");
    CHECK(entry.last_error.empty());
    CHECK(entry.attempts == 2);

    // A forced re-send keeps the remote id until a new one is known.
    REQUIRE(ledger->mark_pending(key, "ada@example.com"));
    entry = must_get(*ledger, key);
    CHECK(entry.state == State::pending);
    CHECK(entry.remote_id == "opp-42");
    CHECK(entry.attempts == 3);

    REQUIRE(ledger->mark_review(key, "connection dropped after the request was sent"));
    entry = must_get(*ledger, key);
    CHECK(entry.state == State::review);
    CHECK(entry.last_error == "connection dropped after the request was sent");
    CHECK_FALSE(entry.temporary);

    // A failed forced attempt never erases the earlier success: the row is sent again,
    // with the failure noted beside the remote id that stands.
    REQUIRE(ledger->mark_failed(key, "422 invalid email", false));
    entry = must_get(*ledger, key);
    CHECK(entry.state == State::sent);
    CHECK(entry.remote_id == "opp-42");
    CHECK(entry.last_error.find("422 invalid email") != std::string::npos);
    CHECK(entry.last_error.find("opp-42") != std::string::npos);
    CHECK_FALSE(entry.temporary);

    // A forced send that succeeds keeps the earlier remote id in the history.
    REQUIRE(ledger->mark_pending(key, ""));
    REQUIRE(ledger->mark_sent(key, "opp-43"));
    entry = must_get(*ledger, key);
    CHECK(entry.remote_id == "opp-43");
    CHECK(entry.previous_remote_ids == "opp-42");

    REQUIRE(ledger->forget(key));
    CHECK(absent(*ledger, key));
    // Forgetting a missing row is not an error.
    CHECK(ledger->forget(key));
    // After forget the count starts again.
    REQUIRE(ledger->mark_pending(key, "x"));
    CHECK(must_get(*ledger, key).attempts == 1);
}

TEST_CASE_TEMPLATE("ledger::Ledger marks without a pending row create the row", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = db.open();
    REQUIRE(ledger->mark_sent({"a", "greenhouse", ""}, "gh-1"));
    REQUIRE(ledger->mark_failed({"b", "greenhouse", ""}, "boom", true));
    REQUIRE(ledger->mark_review({"c", "greenhouse", ""}, "check it"));
    CHECK(must_get(*ledger, {"a", "greenhouse", ""}).state == State::sent);
    CHECK(must_get(*ledger, {"a", "greenhouse", ""}).attempts == 0);
    CHECK(must_get(*ledger, {"b", "greenhouse", ""}).temporary);
    CHECK(must_get(*ledger, {"c", "greenhouse", ""}).state == State::review);
}

TEST_CASE_TEMPLATE("ledger::Ledger attempts count every mark_pending", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = db.open();
    const Key key{"c", "greenhouse", "job:4690"};
    for (int i = 1; i <= 5; ++i) {
        REQUIRE(ledger->mark_pending(key, ""));
        REQUIRE(ledger->mark_failed(key, "try " + std::to_string(i), true));
        CHECK(must_get(*ledger, key).attempts == i);
    }
    CHECK(must_get(*ledger, key).last_error == "try 5");
}

TEST_CASE_TEMPLATE("ledger::Ledger keys include target and destination", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = db.open();
    const Key prospect{"c", "greenhouse", ""};
    const Key job{"c", "greenhouse", "job:4690"};
    const Key other_job{"c", "greenhouse", "job:4691"};
    const Key lever{"c", "lever", ""};
    REQUIRE(ledger->mark_sent(prospect, "gh-1"));
    REQUIRE(ledger->mark_failed(job, "no such job", false));
    REQUIRE(ledger->mark_pending(lever, "c@example.com"));

    CHECK(must_get(*ledger, prospect).remote_id == "gh-1");
    CHECK(must_get(*ledger, job).state == State::failed);
    CHECK(absent(*ledger, other_job));
    CHECK(must_get(*ledger, lever).state == State::pending);

    REQUIRE(ledger->forget(job));
    CHECK(absent(*ledger, job));
    CHECK(must_get(*ledger, prospect).state == State::sent);
}

TEST_CASE_TEMPLATE("ledger::Ledger stores odd-looking ids verbatim", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = db.open();
    std::vector<std::string> ids = {
        "x'); DROP TABLE sends; --",
        "' OR '1'='1",
        "\"quoted\" ?1 :name @p $v %",
        "ünïcødé ✓",
    };
    // PostgreSQL text cannot hold NUL: the PostgreSQL ledger refuses such a value (below).
    if (!db.postgres()) {
        ids.push_back(std::string("nul\0inside", 10));
    }
    for (const std::string& id : ids) {
        const Key key{id, "lever", "posting:'; DELETE FROM sends; --"};
        REQUIRE(ledger->mark_pending(key, id));
        REQUIRE(ledger->mark_failed(key, id, false));
    }
    auto all = ledger->list(std::nullopt);
    REQUIRE(all);
    CHECK(all->size() == ids.size());
    for (const std::string& id : ids) {
        const Entry entry = must_get(*ledger, {id, "lever", "posting:'; DELETE FROM sends; --"});
        CHECK(entry.key.candidate_id == id);
        CHECK(entry.key.destination == "posting:'; DELETE FROM sends; --");
        CHECK(entry.lookup_hint == id);
        CHECK(entry.last_error == id);
    }
    REQUIRE(ledger->set_cursor("j'; --", "c'; --"));
    auto cursor = ledger->cursor("j'; --");
    REQUIRE(cursor);
    CHECK(*cursor == "c'; --");
}

TEST_CASE_TEMPLATE("ledger::Ledger persists across reopen", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    const Key key{"c", "lever", "posting:p"};
    {
        auto ledger = db.open();
        REQUIRE(ledger->mark_pending(key, "c@example.com"));
        REQUIRE(ledger->mark_sent(key, "opp-1"));
        REQUIRE(ledger->set_cursor("job-1", "cursor-1"));
        REQUIRE(ledger->set_meta("last_sync", "1700000000"));
    }
    auto ledger = db.open();
    const Entry entry = must_get(*ledger, key);
    CHECK(entry.state == State::sent);
    CHECK(entry.remote_id == "opp-1");
    CHECK(entry.lookup_hint == "c@example.com");
    CHECK(entry.attempts == 1);
    auto cursor = ledger->cursor("job-1");
    REQUIRE(cursor);
    CHECK(*cursor == "cursor-1");
    auto meta = ledger->meta("last_sync");
    REQUIRE(meta);
    CHECK(*meta == "1700000000");
}

TEST_CASE_TEMPLATE("ledger::Ledger counts and list", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = db.open();
    auto empty = ledger->counts();
    REQUIRE(empty);
    CHECK(empty->pending == 0);
    CHECK(empty->sent == 0);
    CHECK(empty->failed == 0);
    CHECK(empty->review == 0);

    REQUIRE(ledger->mark_pending({"p1", "lever", ""}, ""));
    REQUIRE(ledger->mark_sent({"s1", "lever", ""}, "o1"));
    REQUIRE(ledger->mark_sent({"s2", "greenhouse", ""}, "g2"));
    REQUIRE(ledger->mark_sent({"s3", "greenhouse", "job:1"}, "g3"));
    REQUIRE(ledger->mark_failed({"f1", "lever", ""}, "e", true));
    REQUIRE(ledger->mark_review({"r1", "greenhouse", ""}, "?"));
    REQUIRE(ledger->mark_review({"r2", "greenhouse", ""}, "?"));

    auto counts = ledger->counts();
    REQUIRE(counts);
    CHECK(counts->pending == 1);
    CHECK(counts->sent == 3);
    CHECK(counts->failed == 1);
    CHECK(counts->review == 2);

    auto all = ledger->list(std::nullopt);
    REQUIRE(all);
    CHECK(all->size() == 7);

    auto sent = ledger->list(State::sent);
    REQUIRE(sent);
    REQUIRE(sent->size() == 3);
    for (const Entry& entry : *sent) {
        CHECK(entry.state == State::sent);
        CHECK_FALSE(entry.remote_id.empty());
    }
    auto review = ledger->list(State::review);
    REQUIRE(review);
    REQUIRE(review->size() == 2);
    auto pending = ledger->list(State::pending);
    REQUIRE(pending);
    REQUIRE(pending->size() == 1);
    CHECK(pending->front().key.candidate_id == "p1");
}

TEST_CASE_TEMPLATE("ledger::Ledger cursors and meta round trip", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = db.open();

    auto none = ledger->cursor("job-1");
    REQUIRE(none);
    CHECK(none->empty());
    REQUIRE(ledger->set_cursor("job-1", "2024-01-01T00:00:00Z"));
    REQUIRE(ledger->set_cursor("job-2", "abc"));
    REQUIRE(ledger->set_cursor("job-1", "2024-02-01T00:00:00Z"));
    auto job1 = ledger->cursor("job-1");
    auto job2 = ledger->cursor("job-2");
    REQUIRE(job1);
    REQUIRE(job2);
    CHECK(*job1 == "2024-02-01T00:00:00Z");
    CHECK(*job2 == "abc");

    auto no_meta = ledger->meta("last_sync");
    REQUIRE(no_meta);
    CHECK(no_meta->empty());
    REQUIRE(ledger->set_meta("last_sync", "1"));
    REQUIRE(ledger->set_meta("last_sync", "2"));
    REQUIRE(ledger->set_meta("other", ""));
    auto last_sync = ledger->meta("last_sync");
    REQUIRE(last_sync);
    CHECK(*last_sync == "2");
    auto other = ledger->meta("other");
    REQUIRE(other);
    CHECK(other->empty());
}

TEST_CASE("ledger::Ledger reports SQLite failures as errors") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    auto ledger = open_ok(path);
    {
        RawDb raw(path);
        raw.exec("DROP TABLE sends");
    }
    auto entry = ledger->get({"c", "lever", ""});
    REQUIRE_FALSE(entry);
    CHECK(entry.error().kind == ErrorKind::failure);
    CHECK(entry.error().message.find("no such table") != std::string::npos);
    auto marked = ledger->mark_pending({"c", "lever", ""}, "");
    REQUIRE_FALSE(marked);
    CHECK(marked.error().kind == ErrorKind::failure);
    CHECK(marked.error().message.find(path) != std::string::npos);
    CHECK_FALSE(ledger->counts());
    CHECK_FALSE(ledger->list(std::nullopt));
    // Other tables still work.
    CHECK(ledger->set_meta("k", "v"));
}

TEST_CASE("ledger::PostgreSQL ledger refuses values it cannot store and reports server errors") {
    TestLedger db(PostgresBackend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = db.open();
    auto nul = ledger->mark_pending({std::string("nul\0inside", 10), "lever", ""}, "");
    REQUIRE_FALSE(nul);
    CHECK(nul.error().kind == ErrorKind::validation);
    db.exec("DROP TABLE sends");
    auto entry = ledger->get({"c", "lever", ""});
    REQUIRE_FALSE(entry);
    CHECK(entry.error().kind == ErrorKind::failure);
    CHECK(entry.error().message.find("does not exist") != std::string::npos);
    CHECK(entry.error().message.find(db.location().url) != std::string::npos);
    CHECK(ledger->set_meta("k", "v"));
}
