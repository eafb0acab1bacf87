// send::send_one: the claim protocol and the resolution of unknown outcomes, against a
// scripted target whose "store" is counted (the ATS's view, not our report) and real
// SQLite ledgers in a temp dir.

#include "test_ledger_support.hpp"

#include <pjats/ledger/ledger.hpp>
#include <pjats/send/sender.hpp>

#include <doctest/doctest.h>

#include <deque>
#include <map>
#include <string>

using namespace pjats;
using namespace pjats::send;
using pjats::ledger::HolderState;
using pjats::ledger::Key;
using pjats::ledger::Ledger;
using pjats::ledger::RunIdentity;
using pjats::ledger::State;
using pjats::ledger_test::TempDir;
using pjats::ledger_test::open_ok;

namespace {

// What a create call does: create the record and answer, create it but lose the answer
// (the dropped connection), create it only after `delay_lookups` further lookups (a
// request the server is still processing), or fail before creating.
enum class Script { ok, lost_answer, late, rejected, auth };

class ScriptedTarget final : public Target {
  public:
    explicit ScriptedTarget(bool can_look_up) : m_can_look_up(can_look_up) {}

    std::string name() const override { return m_can_look_up ? "lever" : "greenhouse"; }
    std::string account() const override { return "http://127.0.0.1:1#user:1"; }
    std::string destination(const Placement&) const override { return ""; }
    Result<std::string> describe_request(const model::Candidate&, const Placement&) override {
        return std::string("POST /fake");
    }

    Result<Outcome> create(const model::Candidate& candidate, const Placement&) override {
        ++creates;
        const Script script = scripts.empty() ? Script::ok : scripts.front();
        if (!scripts.empty()) {
            scripts.pop_front();
        }
        switch (script) {
        case Script::ok:
            return Outcome{store_record(candidate.email), "", false, false};
        case Script::lost_answer: {
            store_record(candidate.email);
            return unknown();
        }
        case Script::late:
            m_late_email = candidate.email;
            return unknown();
        case Script::rejected:
            return make_error(ErrorKind::validation, "422 rejected");
        case Script::auth:
            return make_error(ErrorKind::auth, "401 bad key");
        }
        return unknown();
    }

    bool can_look_up() const override { return m_can_look_up; }

    Result<std::optional<Outcome>> find_existing(const model::Candidate& candidate,
                                                 const Placement&) override {
        ++lookups;
        if (!m_late_email.empty() && --delay_lookups <= 0) {
            store_record(m_late_email);
            m_late_email.clear();
        }
        auto it = records.find(candidate.email);
        if (it == records.end()) {
            return std::optional<Outcome>();
        }
        return std::optional<Outcome>(Outcome{it->second, "", false, false});
    }

    // Records upstream, by e-mail (one per create that reached the server).
    std::map<std::string, std::string> records;
    int stored = 0;
    int creates = 0;
    int lookups = 0;
    int delay_lookups = 0;
    std::deque<Script> scripts;

  private:
    std::string store_record(const std::string& email) {
        const std::string id = "opp-" + std::to_string(++stored);
        records[email] = id;
        return id;
    }

    static Error unknown() {
        Error error = make_error(ErrorKind::temporary, "connection dropped after the request");
        error.outcome_unknown = true;
        return error;
    }

    bool m_can_look_up;
    std::string m_late_email;
};

// A test clock: sleeping advances it.
struct FakeClock {
    std::int64_t now = 1'000'000'000'000;
    UnknownOutcomePolicy policy(std::chrono::milliseconds window) {
        UnknownOutcomePolicy p;
        p.window = window;
        p.poll_interval = std::chrono::milliseconds(1'000);
        p.sleep = [this](std::chrono::milliseconds d) { now += d.count(); };
        p.now_ms = [this]() { return now; };
        return p;
    }
};

model::Candidate candidate(const std::string& email) {
    model::Candidate c;
    c.id = "1042";
    c.email = email;
    return c;
}

std::unique_ptr<Ledger> run_ledger(const std::string& path, const std::string& run_id,
                                   const std::string& pid_start = {}) {
    auto ledger = open_ok(path);
    RunIdentity run = ledger::this_process();
    run.run_id = run_id;
    if (!pid_start.empty()) {
        run.pid_start = pid_start;
    }
    REQUIRE(ledger->begin_run(run, "test"));
    return ledger;
}

ledger::Entry row(Ledger& ledger, const Target& target) {
    auto got = ledger.get(Key{"1042", target.name(), "", target.account()});
    REQUIRE(got);
    REQUIRE(got->has_value());
    return **got;
}

// Leaves a pending claim of run `run_id` (alive or dead by `pid_start`) for candidate 1042.
void leave_claim(const std::string& path, const Target& target, const std::string& run_id,
                 const std::string& email, const std::string& pid_start = {}) {
    auto other = run_ledger(path, run_id, pid_start);
    REQUIRE(*other->claim(Key{"1042", target.name(), "", target.account()}, email, 0));
}

} // namespace

TEST_CASE("send::send_one sends once and skips what the ledger says was sent") {
    TempDir dir;
    auto ledger = run_ledger(dir.file("l.db"), "run-1");
    ScriptedTarget target(true);
    auto first = send_one(target, *ledger, candidate("ada@example.com"), {}, {});
    CHECK(first.status == ItemStatus::sent);
    auto second = send_one(target, *ledger, candidate("ada@example.com"), {}, {});
    CHECK(second.status == ItemStatus::skipped);
    CHECK(second.outcome.remote_id == "opp-1");
    CHECK(target.stored == 1);
    CHECK(row(*ledger, target).holder == "run-1");
}

TEST_CASE("send::send_one leaves a send claimed by another live run alone") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    ScriptedTarget target(true);
    leave_claim(path, target, "run-live", "ada@example.com");
    auto ledger = run_ledger(path, "run-2");
    const ItemReport report = send_one(target, *ledger, candidate("ada@example.com"), {}, {});
    CHECK(report.status == ItemStatus::in_flight);
    CHECK(report.error.message.find("another pj-ats run") != std::string::npos);
    CHECK(target.creates == 0);
    CHECK(target.lookups == 0);
    CHECK(row(*ledger, target).holder == "run-live");
}

TEST_CASE("send::send_one resolves a dead run's claim by the e-mail stored at claim time") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    ScriptedTarget target(true);
    FakeClock clock;
    // The dead run's request reached the server under the old address.
    leave_claim(path, target, "run-dead", "old@example.com", "1");
    target.records["old@example.com"] = "opp-9";
    auto ledger = run_ledger(path, "run-3");
    const ItemReport report = send_one(target, *ledger, candidate("new@example.com"), {}, {},
                                       clock.policy(std::chrono::milliseconds(60'000)));
    CHECK(report.status == ItemStatus::found_existing);
    CHECK(report.outcome.remote_id == "opp-9");
    CHECK(target.creates == 0);
    const ledger::Entry entry = row(*ledger, target);
    CHECK(entry.state == State::sent);
    CHECK(entry.remote_id == "opp-9");
}

TEST_CASE("send::send_one waits out the window before sending a dead run's claim again") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    ScriptedTarget target(true);
    FakeClock clock;
    clock.now = [] {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }();
    leave_claim(path, target, "run-dead", "ada@example.com", "1");
    auto ledger = run_ledger(path, "run-4");
    const std::int64_t start = clock.now;
    const ItemReport report = send_one(target, *ledger, candidate("ada@example.com"), {}, {},
                                       clock.policy(std::chrono::milliseconds(10'000)));
    CHECK(report.status == ItemStatus::sent);
    CHECK(target.creates == 1);
    CHECK(target.lookups >= 10);
    CHECK(clock.now - start >= 10'000);
}

TEST_CASE("send::send_one after a lost answer finds the record instead of sending twice") {
    TempDir dir;
    auto ledger = run_ledger(dir.file("l.db"), "run-5");
    ScriptedTarget target(true);
    FakeClock clock;
    SUBCASE("the record is there at once") {
        target.scripts = {Script::lost_answer};
    }
    SUBCASE("the server creates it while we look (a request answered after our timeout)") {
        target.scripts = {Script::late};
        target.delay_lookups = 5;
    }
    const ItemReport report = send_one(target, *ledger, candidate("ada@example.com"), {}, {},
                                       clock.policy(std::chrono::milliseconds(60'000)));
    CHECK(report.status == ItemStatus::found_existing);
    CHECK(target.stored == 1);
    CHECK(target.creates == 1);
    CHECK(row(*ledger, target).state == State::sent);
}

TEST_CASE("send::send_one: an unknown outcome without e-mail goes to review, never stuck") {
    TempDir dir;
    auto ledger = run_ledger(dir.file("l.db"), "run-6");
    ScriptedTarget target(true);
    target.scripts = {Script::lost_answer};
    const ItemReport report = send_one(target, *ledger, candidate(""), {}, {});
    CHECK(report.status == ItemStatus::review);
    CHECK(report.error.message.find("no e-mail") != std::string::npos);
    CHECK(row(*ledger, target).state == State::review);
    // The next plain run reports it again and sends nothing.
    const ItemReport again = send_one(target, *ledger, candidate(""), {}, {});
    CHECK(again.status == ItemStatus::review);
    CHECK(target.creates == 1);
}

TEST_CASE("send::send_one: Greenhouse cannot be searched, an unknown outcome is review") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    ScriptedTarget target(false);
    SUBCASE("this run's request") {
        auto ledger = run_ledger(path, "run-7");
        target.scripts = {Script::lost_answer};
        CHECK(send_one(target, *ledger, candidate("ada@example.com"), {}, {}).status
              == ItemStatus::review);
        CHECK(row(*ledger, target).state == State::review);
    }
    SUBCASE("a dead run's claim") {
        leave_claim(path, target, "run-dead", "ada@example.com", "1");
        auto ledger = run_ledger(path, "run-8");
        CHECK(send_one(target, *ledger, candidate("ada@example.com"), {}, {}).status
              == ItemStatus::review);
        CHECK(target.creates == 0);
    }
    CHECK(target.stored <= 1);
}

TEST_CASE("send::send_one: a failed --force keeps the earlier success") {
    TempDir dir;
    auto ledger = run_ledger(dir.file("l.db"), "run-9");
    ScriptedTarget target(false);
    REQUIRE(send_one(target, *ledger, candidate("ada@example.com"), {}, {}).status
            == ItemStatus::sent);
    target.scripts = {Script::auth};
    SendFlags force;
    force.force = true;
    CHECK(send_one(target, *ledger, candidate("ada@example.com"), {}, force).status
          == ItemStatus::failed);
    const ledger::Entry entry = row(*ledger, target);
    CHECK(entry.state == State::sent);
    CHECK(entry.remote_id == "opp-1");
    // The next plain send does not create a second record.
    CHECK(send_one(target, *ledger, candidate("ada@example.com"), {}, {}).status
          == ItemStatus::skipped);
    CHECK(target.stored == 1);
}

// The chaos suite's lever-sync duplicate: a create the server committed after the client's
// timeout and after the lookup window (its request had queued at the server) was created a
// second time — by the same run after its window, or by the next run after the dead
// claim's window. An unknown outcome is now never created again by the run that tried
// it, and a later run creates it only after a lookup that began `resend_after` past the
// attempt's last possible request.
TEST_CASE("send::send_one: an unknown create is not sent again before its quiet time") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    ScriptedTarget target(true);
    FakeClock clock;
    clock.now = [] {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }();
    UnknownOutcomePolicy policy = clock.policy(std::chrono::milliseconds(2'000));
    policy.resend_after = std::chrono::milliseconds(12'000);
    target.scripts = {Script::late};
    target.delay_lookups = 12; // the server commits after ~12 s of lookups
    {
        auto first = run_ledger(path, "run-late-1");
        const ItemReport report =
            send_one(target, *first, candidate("ada@example.com"), {}, {}, policy);
        CHECK(report.status == ItemStatus::failed);
        CHECK(report.error.outcome_unknown);
        CHECK(target.creates == 1); // not created again by this run
        CHECK(row(*first, target).state == State::pending);
        REQUIRE(first->end_run());
    }
    auto second = run_ledger(path, "run-late-2");
    const std::int64_t start = clock.now;
    const ItemReport report =
        send_one(target, *second, candidate("ada@example.com"), {}, {}, policy);
    CHECK(report.status == ItemStatus::found_existing);
    CHECK(target.creates == 1);
    CHECK(target.stored == 1);
    CHECK(clock.now - start < 12'000 + ledger::k_heartbeat_ms + 1'000);
    CHECK(row(*second, target).state == State::sent);
}

TEST_CASE("send::send_one: a dead claim is sent again only after a lookup past its quiet time") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    ScriptedTarget target(true);
    FakeClock clock;
    clock.now = [] {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }();
    leave_claim(path, target, "run-dead", "ada@example.com", "1");
    const std::int64_t attempt = row(*open_ok(path), target).attempt_at_ms;
    UnknownOutcomePolicy policy = clock.policy(std::chrono::milliseconds(2'000));
    policy.resend_after = std::chrono::milliseconds(20'000);
    std::int64_t first_create_at = 0;
    auto ledger = run_ledger(path, "run-after");
    const ItemReport report =
        send_one(target, *ledger, candidate("ada@example.com"), {}, {}, policy);
    first_create_at = clock.now;
    CHECK(report.status == ItemStatus::sent);
    CHECK(target.creates == 1);
    CHECK(first_create_at - attempt >= 20'000);
}
