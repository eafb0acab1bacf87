// The sync pass on several workers: applications finish out of order, yet each is sent
// once and each job's cursor passes only the contiguous prefix of final sends.

#include "support/temp_env.hpp"

#include <pjats/sync/sync.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace pjats;

model::Application application(int n) {
    char cursor[8];
    std::snprintf(cursor, sizeof cursor, "%03d", n);
    model::Application app;
    app.id = std::string("app-") + cursor;
    app.job_id = "job-1";
    app.cursor = cursor;
    app.candidate.id = std::string("c") + cursor;
    app.candidate.first_name = "Ada";
    app.candidate.last_name = "Person";
    app.candidate.email = app.candidate.id + "@example.com";
    return app;
}

class Source final : public source::Source {
  public:
    std::vector<model::Application> applications_of_job;

    Result<model::Candidate> candidate(const std::string&) override {
        return make_error(ErrorKind::not_found, "not used");
    }

    Result<Page> applications(const std::string&, const std::string& since,
                              std::size_t limit) override {
        Page page;
        for (const auto& app : applications_of_job) {
            if (app.cursor > since && (limit == 0 || page.applications.size() < limit)) {
                page.applications.push_back(app);
            }
        }
        return page;
    }

    std::string describe() const override { return "fake"; }
};

// Thread-safe: earlier candidates answer later (so sends finish in reverse order), and the
// scripted ones fail temporarily once.
class SlowTarget final : public send::Target {
  public:
    std::set<std::string> fail_once;

    std::string name() const override { return "lever"; }
    std::string destination(const send::Placement& p) const override {
        return "posting:" + p.lever_posting;
    }
    Result<std::string> describe_request(const model::Candidate& c,
                                         const send::Placement&) override {
        return "POST " + c.id;
    }
    Result<send::Outcome> create(const model::Candidate& candidate,
                                 const send::Placement&) override {
        const int n = std::stoi(candidate.id.substr(1));
        std::this_thread::sleep_for(std::chrono::milliseconds(2 * (40 - n % 40)));
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (fail_once.erase(candidate.id) != 0) {
            return make_error(ErrorKind::temporary, "HTTP 503");
        }
        ++created[candidate.id];
        order.push_back(candidate.id);
        return send::Outcome{"opp-" + candidate.id, "", false, false};
    }
    bool can_look_up() const override { return true; }
    Result<std::optional<send::Outcome>> find_existing(const model::Candidate&,
                                                       const send::Placement&) override {
        return std::optional<send::Outcome>{};
    }

    std::map<std::string, int> created;
    std::vector<std::string> order;

  private:
    std::mutex m_mutex;
};

class Observer final : public sync::Observer {
  public:
    void job_started(const std::string&, const std::string&, const std::string&,
                     std::size_t) override {}
    void item(const std::string&, const model::Application& app,
              const send::ItemReport&) override {
        ++items[app.id];
    }
    void source_error(const std::string&, const Error&) override {}
    std::map<std::string, int> items;
};

} // namespace

TEST_CASE("sync: concurrent sends finish out of order; the cursor stops at the first retry") {
    test::TempDir dir;
    const std::string path = dir.file("ledger.db");
    const ledger::LedgerOpener open = [path] { return ledger::Ledger::open(path); };
    Source source;
    for (int n = 1; n <= 40; ++n) {
        source.applications_of_job.push_back(application(n));
    }
    SlowTarget target;
    target.fail_once = {"c012"};
    Observer observer;
    sync::Options options;
    options.workers = 8;
    const std::map<std::string, std::string> links{{"job-1", "post-1"}};

    const sync::Summary first = sync::run(source, target, open, links, options, observer);
    CHECK(first.counts.sent == 39);
    CHECK(first.counts.temporary == 1);
    CHECK(observer.items.size() == 40);
    // Later applications finished first, but the cursor waits for 012.
    std::vector<std::string> sorted = target.order;
    std::sort(sorted.begin(), sorted.end());
    CHECK(target.order != sorted);
    auto ledger = open();
    REQUIRE(ledger);
    auto cursor = (*ledger)->cursor("job-1");
    REQUIRE(cursor);
    CHECK(*cursor == "011");

    const sync::Summary second = sync::run(source, target, open, links, options, observer);
    CHECK(second.counts.sent == 1);
    CHECK(second.counts.skipped == 28);
    CHECK(second.tally.exit_code() == 0);
    cursor = (*ledger)->cursor("job-1");
    REQUIRE(cursor);
    CHECK(*cursor == "040");
    CHECK(target.created.size() == 40);
    for (const auto& [id, times] : target.created) {
        CAPTURE(id);
        CHECK(times == 1);
    }
}

TEST_CASE("sync: the exit code follows send::Tally's rule") {
    test::TempDir dir;
    const std::string path = dir.file("ledger.db");
    const ledger::LedgerOpener open = [path] { return ledger::Ledger::open(path); };
    Source source;
    source.applications_of_job = {application(1), application(2)};
    SlowTarget target;
    target.fail_once = {"c002"};
    Observer observer;
    sync::Options options;
    options.workers = 2;
    const sync::Summary summary =
        sync::run(source, target, open, {{"job-1", "post-1"}}, options, observer);
    CHECK(summary.tally.exit_code() == 3); // one sent, one to retry: partial
}
