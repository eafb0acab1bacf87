// The tracking table (what `track` saw), on both backends, and the track rules over it.

#include "test_ledger_backends.hpp"

#include <pjats/track/track.hpp>

namespace pjats::ledger_test {

namespace {

ledger::Tracked tracked_row(const std::string& id, const std::string& target,
                            const std::string& state) {
    ledger::Tracked t;
    t.key = ledger::Key(id, target, target == "greenhouse" ? "job:4690" : "posting:p1",
                        "https://example.test#user:1");
    t.remote_id = "77" + id;
    t.state = state;
    t.stage = "Offer";
    t.job = "Senior Engineer";
    t.link = "https://app.greenhouse.io/people/77";
    t.state_since = 1700000000;
    t.hired_seen_at = state == "hired" ? 1700000100 : 0;
    t.hired_at = target == "lever" && state == "hired" ? 1690000000 : 0;
    t.checked_at = 1700000200;
    return t;
}

} // namespace

TEST_CASE_TEMPLATE("ledger::Ledger::put_tracked replaces a row as a whole, per key",
                   Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = db.open();
    auto empty = ledger->tracked();
    REQUIRE(empty);
    CHECK(empty->empty());

    REQUIRE(ledger->put_tracked(tracked_row("1001", "lever", "active")));
    REQUIRE(ledger->put_tracked(tracked_row("1000", "greenhouse", "hired")));
    ledger::Tracked moved = tracked_row("1001", "lever", "hired");
    moved.stage = "Hired";
    REQUIRE(ledger->put_tracked(moved));

    auto rows = ledger->tracked();
    REQUIRE(rows);
    REQUIRE(rows->size() == 2);
    const ledger::Tracked& gh = (*rows)[0];
    CHECK(gh.key.candidate_id == "1000");
    CHECK(gh.key.account == "https://example.test#user:1");
    CHECK(gh.key.destination == "job:4690");
    CHECK(gh.state == "hired");
    CHECK(gh.hired_seen_at == 1700000100);
    CHECK(gh.hired_at == 0);
    const ledger::Tracked& lv = (*rows)[1];
    CHECK(lv.state == "hired");
    CHECK(lv.stage == "Hired");
    CHECK(lv.hired_at == 1690000000);
    CHECK(lv.checked_at == 1700000200);
    CHECK(lv.remote_id == "771001");
}

TEST_CASE("track::merge keeps state_since and the first time hired was seen") {
    track::Observation seen;
    seen.key = ledger::Key("1", "greenhouse", "job:1", "a");
    seen.state = "active";
    seen.stage = "Application Review";
    ledger::Tracked first = track::merge(std::nullopt, seen, 100);
    CHECK(first.state_since == 100);
    CHECK(track::changed(std::nullopt, first));

    seen.stage = "Phone Screen";
    ledger::Tracked second = track::merge(first, seen, 200);
    CHECK(second.state_since == 100); // same state
    CHECK(track::changed(first, second));

    seen.state = "hired";
    ledger::Tracked hired = track::merge(second, seen, 300);
    CHECK(hired.hired_seen_at == 300);
    CHECK(hired.state_since == 300);
    ledger::Tracked again = track::merge(hired, seen, 400);
    CHECK(again.hired_seen_at == 300);
    CHECK_FALSE(track::changed(hired, again));
    CHECK(track::hire_date(again) == 300);

    seen.state = "lost";
    seen.stage.clear();
    ledger::Tracked lost = track::merge(again, seen, 500);
    CHECK(lost.stage == "Phone Screen"); // what the ATS said last
    CHECK(lost.hired_seen_at == 300);
}

TEST_CASE("track::hires uses the ATS date, else the first sighting, from since to before until") {
    ledger::Tracked gh = tracked_row("1", "greenhouse", "hired"); // seen 1700000100
    ledger::Tracked lv = tracked_row("2", "lever", "hired");      // archived 1690000000
    ledger::Tracked active = tracked_row("3", "lever", "active");
    const std::vector<ledger::Tracked> rows = {gh, lv, active};
    CHECK(track::hires(rows, 0, 0).size() == 2);
    auto late = track::hires(rows, 1695000000, 0);
    REQUIRE(late.size() == 1);
    CHECK(late[0].key.candidate_id == "1");
    auto early = track::hires(rows, 0, 1695000000);
    REQUIRE(early.size() == 1);
    CHECK(early[0].key.candidate_id == "2");
}

TEST_CASE("track::parse_date") {
    auto day = track::parse_date("2020-01-02");
    REQUIRE(day);
    CHECK(*day == 1577923200);
    CHECK(track::format_time(*day) == "2020-01-02T00:00:00Z");
    CHECK_FALSE(track::parse_date("2020-02-30"));
    CHECK_FALSE(track::parse_date("yesterday"));
    CHECK_FALSE(track::parse_date("2020-1-2"));
}

} // namespace pjats::ledger_test
