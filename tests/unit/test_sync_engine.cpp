// The sync engine against an in-memory source and target and a real ledger: which
// applications are sent and where each job's cursor ends up.

#include "support/temp_env.hpp"

#include <pjats/sync/sync.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace pjats;

model::Application application(const std::string& cursor,
                               const std::string& candidate_id,
                               const std::string& name = "Ada Lovelace") {
    model::Application app;
    app.id = "app-" + cursor;
    app.job_id = "job-1";
    app.cursor = cursor;
    app.candidate.id = candidate_id;
    app.candidate.name = name;
    app.candidate.first_name = name.substr(0, name.find(' '));
    app.candidate.last_name =
        name.find(' ') == std::string::npos ? "" : name.substr(name.find(' ') + 1);
    app.candidate.email = candidate_id + "@example.com";
    return app;
}

class FakeSource final : public source::Source {
  public:
    std::map<std::string, std::vector<model::Application>> jobs;
    std::vector<Error> errors;

    Result<model::Candidate> candidate(const std::string&) override {
        return make_error(ErrorKind::not_found, "not used");
    }

    Result<Page>
    applications(const std::string& job_id, const std::string& since, std::size_t limit) override {
        Page page;
        page.errors = errors;
        for (const auto& app : jobs[job_id]) {
            if (app.cursor > since && (limit == 0 || page.applications.size() < limit)) {
                page.applications.push_back(app);
            }
        }
        return page;
    }

    std::string describe() const override {
        return "fake";
    }
};

// Creates everything except candidates scripted to fail (each script entry used once).
class FakeTarget final : public send::Target {
  public:
    std::map<std::string, std::vector<Error>> failures;
    std::vector<std::string> created;
    std::vector<send::Placement> placements;
    int describe_calls = 0;

    std::string name() const override {
        return "lever";
    }

    std::string destination(const send::Placement& placement) const override {
        return "posting:" + placement.lever_posting;
    }

    Result<std::string> describe_request(const model::Candidate& candidate,
                                         const send::Placement&) override {
        ++describe_calls;
        return "POST /v1/opportunities " + candidate.id;
    }

    Result<send::Outcome> create(const model::Candidate& candidate,
                                 const send::Placement& placement) override {
        auto& queue = failures[candidate.id];
        if (!queue.empty()) {
            Error error = queue.front();
            queue.erase(queue.begin());
            return error;
        }
        created.push_back(candidate.id);
        placements.push_back(placement);
        return send::Outcome{"opp-" + candidate.id, "", false, false};
    }

    bool can_look_up() const override {
        return true;
    }

    Result<std::optional<send::Outcome>> find_existing(const model::Candidate&,
                                                       const send::Placement&) override {
        return std::optional<send::Outcome>{};
    }
};

class NullObserver final : public sync::Observer {
  public:
    std::vector<std::string> statuses;
    int source_errors = 0;

    void
    job_started(const std::string&, const std::string&, const std::string&, std::size_t) override {}

    void item(const std::string&,
              const model::Application& app,
              const send::ItemReport& report) override {
        statuses.push_back(app.cursor + ":" + send::to_string(report.status));
    }

    void source_error(const std::string&, const Error&) override {
        ++source_errors;
    }
};

struct Fixture {
    test::TempDir dir;
    std::unique_ptr<ledger::Ledger> ledger;
    FakeSource source;
    FakeTarget target;
    NullObserver observer;
    std::map<std::string, std::string> links{{"job-1", "post-1"}};

    Fixture() {
        auto opened = ledger::Ledger::open(dir.file("ledger.db"));
        REQUIRE(opened.has_value());
        ledger = std::move(*opened);
    }

    ledger::LedgerOpener opener() {
        return [this] { return ledger::Ledger::open(dir.file("ledger.db")); };
    }

    sync::Summary run(sync::Options options = {}) {
        return sync::run(source, target, opener(), links, options, observer);
    }

    std::string cursor() {
        auto value = ledger->cursor("job-1");
        REQUIRE(value.has_value());
        return *value;
    }
};

Error temporary() {
    return make_error(ErrorKind::temporary, "HTTP 503");
}

Error rejected() {
    return make_error(ErrorKind::validation, "HTTP 422");
}

} // namespace

TEST_CASE("sync: advance_cursor stops at the first non-final attempt") {
    struct Row {
        std::vector<sync::Attempt> attempts;
        std::string expected;
    };

    const std::vector<Row> rows = {
        {{}, "s"},
        {{{"a", true}, {"b", true}}, "b"},
        {{{"a", false}, {"b", true}}, "s"},
        {{{"a", true}, {"b", false}, {"c", true}}, "a"},
        {{{"a", true}, {"b", true}, {"c", false}}, "b"},
    };
    for (const Row& row : rows) {
        CHECK(sync::advance_cursor("s", row.attempts) == row.expected);
    }
}

TEST_CASE("sync: is_final classifies outcomes") {
    send::ItemReport report;
    report.status = send::ItemStatus::sent;
    CHECK(sync::is_final(report));
    report.status = send::ItemStatus::skipped;
    CHECK(sync::is_final(report));
    report.status = send::ItemStatus::failed;
    report.error = rejected();
    CHECK(sync::is_final(report));
    report.error = temporary();
    CHECK_FALSE(sync::is_final(report));
    report.error = make_error(ErrorKind::auth, "401");
    CHECK_FALSE(sync::is_final(report));
    report.error = rejected();
    report.error.outcome_unknown = true;
    CHECK_FALSE(sync::is_final(report));
}

TEST_CASE("sync: outcome sequences move the cursor past the final prefix only") {
    struct Row {
        const char* name;
        std::map<std::string, std::vector<Error>> failures;
        std::string expected_cursor;
        std::vector<std::string> expected_created;
    };

    const std::vector<Row> rows = {
        {"all sent", {}, "003", {"c1", "c2", "c3"}},
        {"temporary in the middle", {{"c2", {temporary()}}}, "001", {"c1", "c3"}},
        {"temporary first", {{"c1", {temporary()}}}, "", {"c2", "c3"}},
        {"rejected is passed", {{"c2", {rejected()}}}, "003", {"c1", "c3"}},
        {"rejected then temporary", {{"c1", {rejected()}}, {"c3", {temporary()}}}, "002", {"c2"}},
    };
    for (const Row& row : rows) {
        CAPTURE(row.name);
        Fixture fx;
        fx.source.jobs["job-1"] = {
            application("001", "c1"), application("002", "c2"), application("003", "c3")};
        fx.target.failures = row.failures;
        const sync::Summary summary = fx.run();
        CHECK_FALSE(summary.fatal.has_value());
        CHECK(fx.cursor() == row.expected_cursor);
        CHECK(fx.target.created == row.expected_created);
    }
}

TEST_CASE("sync: a held-back application is sent on the next run, the others skipped") {
    Fixture fx;
    fx.source.jobs["job-1"] = {
        application("001", "c1"), application("002", "c2"), application("003", "c3")};
    fx.target.failures["c2"] = {temporary()};
    sync::Summary first = fx.run();
    CHECK(first.counts.sent == 2);
    CHECK(first.counts.temporary == 1);
    CHECK(fx.cursor() == "001");

    fx.observer.statuses.clear();
    sync::Summary second = fx.run();
    CHECK(second.counts.sent == 1);
    CHECK(second.counts.skipped == 1);
    CHECK(second.tally.exit_code() == 0);
    CHECK(fx.observer.statuses == std::vector<std::string>{"002:sent", "003:skipped"});
    CHECK(fx.cursor() == "003");
    CHECK(fx.target.created == std::vector<std::string>{"c1", "c3", "c2"});

    sync::Summary third = fx.run();
    CHECK(third.counts.applications == 0);
    auto last_sync = fx.ledger->meta("last_sync");
    REQUIRE(last_sync.has_value());
    CHECK(last_sync->size() == 20); // 2026-11-23T18:00:00Z
}

TEST_CASE("sync: sends as applied to the linked posting") {
    Fixture fx;
    fx.source.jobs["job-1"] = {application("001", "c1")};
    fx.run();
    REQUIRE(fx.target.placements.size() == 1);
    CHECK(fx.target.placements[0].lever_posting == "post-1");
    CHECK(fx.target.placements[0].lever_origin == "applied");
}

TEST_CASE("sync: an invalid record is failed in the ledger and passed") {
    Fixture fx;
    // No name at all (a one-word name is valid: docs/mapping.md, "Names").
    fx.source.jobs["job-1"] = {application("001", "c1", ""), application("002", "c2")};
    const sync::Summary summary = fx.run();
    CHECK(summary.counts.failed == 1);
    CHECK(fx.cursor() == "002");
    auto entry = fx.ledger->get({"c1", "lever", "posting:post-1"});
    REQUIRE(entry.has_value());
    REQUIRE(entry->has_value());
    CHECK((*entry)->state == ledger::State::failed);
    CHECK_FALSE((*entry)->temporary);
}

TEST_CASE("sync: an auth failure stops the run") {
    Fixture fx;
    fx.source.jobs["job-1"] = {
        application("001", "c1"), application("002", "c2"), application("003", "c3")};
    fx.target.failures["c2"] = {make_error(ErrorKind::auth, "HTTP 401")};
    const sync::Summary summary = fx.run();
    REQUIRE(summary.fatal.has_value());
    CHECK(summary.fatal->kind == ErrorKind::auth);
    CHECK(fx.target.created == std::vector<std::string>{"c1"});
    CHECK(fx.cursor() == "001");
}

TEST_CASE("sync: --limit caps the applications of one run across jobs") {
    Fixture fx;
    fx.links = {{"job-1", "post-1"}, {"job-2", "post-2"}};
    fx.source.jobs["job-1"] = {application("001", "c1"), application("002", "c2")};
    fx.source.jobs["job-2"] = {application("001", "d1"), application("002", "d2")};
    sync::Options options;
    options.limit = 3;
    const sync::Summary summary = fx.run(options);
    CHECK(summary.limited);
    CHECK(summary.counts.applications == 3);
    CHECK(fx.target.created == std::vector<std::string>{"c1", "c2", "d1"});
    auto job2 = fx.ledger->cursor("job-2");
    REQUIRE(job2.has_value());
    CHECK(*job2 == "001");
}

TEST_CASE("sync: a stop request ends the run between applications") {
    Fixture fx;
    fx.source.jobs["job-1"] = {application("001", "c1"), application("002", "c2")};
    std::atomic<bool> stop{true};
    sync::Options options;
    options.stop = &stop;
    const sync::Summary summary = fx.run(options);
    CHECK(summary.interrupted);
    CHECK(fx.target.created.empty());
    CHECK(fx.cursor().empty());
}

TEST_CASE("sync: a dry run describes and writes nothing") {
    Fixture fx;
    fx.source.jobs["job-1"] = {application("001", "c1"), application("002", "c2")};
    sync::Options options;
    options.dry_run = true;
    const sync::Summary summary =
        sync::run(fx.source, fx.target, {}, fx.links, options, fx.observer);
    CHECK(summary.counts.planned == 2);
    CHECK(fx.target.describe_calls == 2);
    CHECK(fx.target.created.empty());
    CHECK(fx.cursor().empty());
    auto counts = fx.ledger->counts();
    REQUIRE(counts.has_value());
    CHECK(counts->sent + counts->pending + counts->failed == 0);
}

TEST_CASE("sync: unreadable entries from the source are counted and reported") {
    Fixture fx;
    fx.source.jobs["job-1"] = {application("001", "c1")};
    fx.source.errors = {make_error(ErrorKind::validation, "applications/job-1/x.json: bad")};
    const sync::Summary summary = fx.run();
    CHECK(summary.counts.source_errors == 1);
    CHECK(fx.observer.source_errors == 1);
    CHECK(fx.cursor() == "001");
}

TEST_CASE("sync: a late application that sorts before the cursor is sent on the next run") {
    Fixture fx;
    fx.source.jobs["job-1"] = {application("002", "c2"), application("003", "c3")};
    fx.run();
    CHECK(fx.cursor() == "003");

    fx.source.jobs["job-1"].insert(fx.source.jobs["job-1"].begin(), application("001", "c1"));
    fx.observer.statuses.clear();
    const sync::Summary second = fx.run();
    CHECK(second.counts.sent == 1);
    CHECK(second.counts.applications == 1);
    CHECK(fx.observer.statuses == std::vector<std::string>{"001:sent"});
    CHECK(fx.target.created == std::vector<std::string>{"c2", "c3", "c1"});
    CHECK(fx.cursor() == "003"); // never moves back

    const sync::Summary third = fx.run();
    CHECK(third.counts.applications == 0);
    CHECK(fx.target.created.size() == 3);
}

TEST_CASE("sync: a rejected record is not sent again until it changes") {
    Fixture fx;
    fx.source.jobs["job-1"] = {
        application("001", "c1"), application("002", "c2"), application("003", "c3")};
    fx.target.failures["c2"] = {rejected()};
    const sync::Summary first = fx.run();
    CHECK(first.counts.failed == 1);
    CHECK(first.tally.exit_code() != 0);

    // Unchanged: nothing is tried (an attempt would have created c2: its failure is used up).
    const sync::Summary second = fx.run();
    CHECK(second.counts.applications == 0);
    CHECK(second.tally.exit_code() == 0);
    CHECK(fx.target.created == std::vector<std::string>{"c1", "c3"});

    // Fixed: sent once on the next run.
    fx.source.jobs["job-1"][1].candidate.phone = "+1 555 0100";
    fx.observer.statuses.clear();
    const sync::Summary third = fx.run();
    CHECK(third.counts.sent == 1);
    CHECK(third.tally.exit_code() == 0);
    CHECK(fx.observer.statuses == std::vector<std::string>{"002:sent"});
    CHECK(fx.target.created == std::vector<std::string>{"c1", "c3", "c2"});
    auto entry = fx.ledger->get({"c2", "lever", "posting:post-1"});
    REQUIRE(entry.has_value());
    REQUIRE(entry->has_value());
    CHECK((*entry)->state == ledger::State::sent);

    CHECK(fx.run().counts.applications == 0);
    CHECK(fx.target.created.size() == 3);
}

TEST_CASE("sync: an unchanged rejected record after the cursor is reported skipped, no request") {
    Fixture fx;
    fx.source.jobs["job-1"] = {application("001", "c1"), application("002", "c2")};
    fx.target.failures["c1"] = {temporary()};
    fx.target.failures["c2"] = {rejected()};
    fx.run();
    CHECK(fx.cursor().empty());
    fx.observer.statuses.clear();
    const sync::Summary second = fx.run();
    CHECK(fx.observer.statuses == std::vector<std::string>{"001:sent", "002:skipped"});
    CHECK(fx.target.created == std::vector<std::string>{"c1"});
    CHECK(second.tally.exit_code() == 0);
    CHECK(fx.cursor() == "002");
}

TEST_CASE("sync: an invalid record is tried again once fixed") {
    Fixture fx;
    fx.source.jobs["job-1"] = {application("001", "c1", ""), application("002", "c2")};
    fx.run();
    CHECK(fx.run().counts.applications == 0);
    fx.source.jobs["job-1"][0] = application("001", "c1", "Cher");
    const sync::Summary fixed = fx.run();
    CHECK(fixed.counts.sent == 1);
    CHECK(fx.target.created == std::vector<std::string>{"c2", "c1"});
}

TEST_CASE("sync: retry_failed sends rejected applications again whatever their record") {
    Fixture fx;
    fx.source.jobs["job-1"] = {application("001", "c1"), application("002", "c2")};
    fx.target.failures["c1"] = {rejected()};
    fx.run();
    CHECK(fx.target.created == std::vector<std::string>{"c2"});
    sync::Options options;
    options.retry_failed = true;
    const sync::Summary retried = fx.run(options);
    CHECK(retried.counts.applications == 1);
    CHECK(retried.counts.sent == 1);
    CHECK(fx.target.created == std::vector<std::string>{"c2", "c1"});
    CHECK(fx.run(options).counts.applications == 0); // sent: never twice
}

TEST_CASE("sync: --limit counts only applications that are attempted") {
    Fixture fx;
    fx.source.jobs["job-1"] = {application("002", "c2"), application("003", "c3")};
    fx.run();
    fx.source.jobs["job-1"].insert(fx.source.jobs["job-1"].begin(), application("001", "c1"));
    fx.source.jobs["job-1"].push_back(application("004", "c4"));
    sync::Options options;
    options.limit = 1;
    const sync::Summary first = fx.run(options);
    CHECK(first.limited);
    CHECK(first.counts.applications == 1);
    CHECK(fx.target.created == std::vector<std::string>{"c2", "c3", "c1"});
    const sync::Summary second = fx.run(options);
    CHECK_FALSE(second.limited);
    CHECK(fx.target.created == std::vector<std::string>{"c2", "c3", "c1", "c4"});
}

TEST_CASE("sync: counts_json round-trips through parse_counts_json, which refuses the rest") {
    sync::Counts counts;
    counts.jobs = 2;
    counts.sent = 9;
    counts.failed = 1;
    const auto parsed = sync::parse_counts_json(sync::counts_json(counts));
    REQUIRE(parsed.has_value());
    REQUIRE(parsed->size() == 10);
    CHECK(parsed->front() == std::make_pair(std::string("jobs"), std::int64_t{2}));
    CHECK((*parsed)[2] == std::make_pair(std::string("sent"), std::int64_t{9}));
    CHECK(sync::parse_counts_json("{}").value().empty());
    for (const char* bad : {"", "[]", "{\"sent\":-1}", "{\"sent\":1.5}", "{\"sent\":\"3\"}",
                            "{\"a b\":1}", "{\"sent\":1", "{\"x\":{\"y\":1}}",
                            "{\"\\u001b[31m\":1}"}) {
        CAPTURE(bad);
        CHECK_FALSE(sync::parse_counts_json(bad).has_value());
    }
}
