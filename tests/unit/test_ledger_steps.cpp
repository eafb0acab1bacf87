// Follow-up steps of a send (docs/ledger.md, "Steps"): planned before the create, claimed
// by compare-and-swap, outcomes fenced by the holder, open steps listed; both backends.

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

Step step_named(Ledger& ledger, const Key& key, const std::string& name) {
    auto steps = ledger.steps(key);
    REQUIRE(steps);
    for (const Step& step : *steps) {
        if (step.name == name) {
            return step;
        }
    }
    FAIL("no step " << name);
    return {};
}

} // namespace

TEST_CASE_TEMPLATE("ledger steps: planned todo, claimed once, done or failed by the holder only", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto a = run_ledger(db, "run-a");
    auto b = run_ledger(db, "run-b");
    const Key key{"1000", "lever", "", "https://api.lever.co#user:u1"};

    REQUIRE(a->claim(key, "ada@example.com", 0));
    REQUIRE(a->plan_steps(key, {"note", "file"}));
    auto steps = a->steps(key);
    REQUIRE(steps);
    REQUIRE(steps->size() == 2);
    for (const Step& step : *steps) {
        CHECK(step.state == StepState::todo);
        CHECK(step.remote_id.empty());
    }

    Step note = step_named(*a, key, "note");
    auto claimed = a->claim_step(key, "note", note.version);
    REQUIRE(claimed);
    CHECK(*claimed);
    // The same version again: the other run loses.
    auto lost = b->claim_step(key, "note", note.version);
    REQUIRE(lost);
    CHECK_FALSE(*lost);
    note = step_named(*a, key, "note");
    CHECK(note.state == StepState::pending);
    CHECK(note.holder == "run-a");
    CHECK(note.attempt_at_ms > 0);

    // Only the holder records the outcome.
    auto stolen = b->finish_step(key, "note", StepState::done, "n-1", "");
    REQUIRE_FALSE(stolen);
    CHECK(stolen.error().kind == ErrorKind::conflict);
    REQUIRE(a->finish_step(key, "note", StepState::done, "n-1", ""));
    note = step_named(*b, key, "note");
    CHECK(note.state == StepState::done);
    CHECK(note.remote_id == "n-1");

    // A failed step is open, with its (scrubbed) error; done steps are not listed.
    const Step file = step_named(*b, key, "file");
    auto took = b->claim_step(key, "file", file.version);
    REQUIRE(took);
    REQUIRE(*took);
    REQUIRE(b->finish_step(key, "file", StepState::failed, "", "HTTP 404"));
    // Steps of a row not sent (its create failed, or is pending) are no one's to do.
    auto unsent = a->open_steps();
    REQUIRE(unsent);
    CHECK(unsent->empty());
    REQUIRE(a->mark_sent(key, "opp-1"));
    auto open = a->open_steps();
    REQUIRE(open);
    REQUIRE(open->size() == 1);
    CHECK(open->front().key.candidate_id == "1000");
    CHECK(open->front().key.account == key.account);
    CHECK(open->front().step.name == "file");
    CHECK(open->front().step.state == StepState::failed);
    CHECK(open->front().step.last_error == "HTTP 404");

    // A failed step is claimed again at its new version.
    const Step again = step_named(*a, key, "file");
    auto retaken = a->claim_step(key, "file", again.version);
    REQUIRE(retaken);
    CHECK(*retaken);
}

TEST_CASE_TEMPLATE("ledger steps: planning again starts every step over and drops others", Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto a = run_ledger(db, "run-a");
    const Key key{"1001", "lever", "posting:p1", "https://api.lever.co#user:u1"};
    const Key other{"1002", "lever", "", "https://api.lever.co#user:u1"};

    REQUIRE(a->plan_steps(key, {"note", "file"}));
    REQUIRE(a->plan_steps(other, {"note"}));
    const Step note = step_named(*a, key, "note");
    REQUIRE(*a->claim_step(key, "note", note.version));
    REQUIRE(a->finish_step(key, "note", StepState::done, "n-1", ""));

    // A forced re-send: a new record, so its steps start over; "file" is no longer planned.
    REQUIRE(a->plan_steps(key, {"note"}));
    auto steps = a->steps(key);
    REQUIRE(steps);
    REQUIRE(steps->size() == 1);
    CHECK(steps->front().name == "note");
    CHECK(steps->front().state == StepState::todo);
    CHECK(steps->front().remote_id.empty());
    // The stale claim of the earlier record cannot record an outcome now.
    CHECK_FALSE(a->finish_step(key, "note", StepState::done, "n-2", ""));
    // Other rows are untouched.
    auto kept = a->steps(other);
    REQUIRE(kept);
    CHECK(kept->size() == 1);

    REQUIRE(a->plan_steps(key, {}));
    auto none = a->steps(key);
    REQUIRE(none);
    CHECK(none->empty());
}
