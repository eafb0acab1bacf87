// send::run (the run engine) with a fake thread-safe Target and real SQLite ledgers in a temp dir.

#include "support/temp_env.hpp"

#include <pjats/ledger/ledger.hpp>
#include <pjats/send/engine.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

using pjats::ErrorKind;
using pjats::make_error;
using pjats::Result;
using pjats::ledger::Ledger;
using pjats::ledger::State;
using pjats::model::Candidate;
using pjats::send::RunOptions;
using pjats::send::ItemReport;
using pjats::send::ItemStatus;
using pjats::send::LoadFailure;
using pjats::send::Outcome;
using pjats::send::Placement;
using pjats::send::WorkItem;

namespace {

// Creates a remote record per call (ids "r<n>"), counts creates per candidate, and runs
// `on_create` first (from the worker thread).
class FakeTarget final : public pjats::send::Target {
  public:
    std::string name() const override {
        return "lever";
    }

    std::string destination(const Placement&) const override {
        return "";
    }

    Result<std::string> describe_request(const Candidate&, const Placement&) override {
        return std::string("POST /fake\n");
    }

    Result<Outcome> create(const Candidate& candidate, const Placement&) override {
        if (on_create) {
            on_create();
        }
        const std::lock_guard<std::mutex> lock(m_mutex);
        ++m_creates[candidate.id];
        Outcome outcome;
        outcome.remote_id = "r" + std::to_string(++m_next);
        return outcome;
    }

    bool can_look_up() const override {
        return true;
    }

    Result<std::optional<Outcome>> find_existing(const Candidate&, const Placement&) override {
        return std::optional<Outcome>{};
    }

    std::map<std::string, int> creates() const {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_creates;
    }

    std::function<void()> on_create;

  private:
    mutable std::mutex m_mutex;
    std::map<std::string, int> m_creates;
    int m_next = 0;
};

// Hands out candidates "c0".."c<n-1>" (and "missing<i>" load failures where asked),
// counting calls; the engine serialises them, which `m_busy` checks.
class Source {
  public:
    Source(int count, std::set<int> failing = {})
        : m_count(count),
          m_failing(std::move(failing)) {}

    std::optional<WorkItem> operator()() {
        if (m_busy.exchange(true)) {
            m_overlapped = true;
        }
        std::optional<WorkItem> item;
        if (m_next < m_count) {
            const int i = m_next++;
            if (m_failing.count(i) != 0) {
                item = WorkItem(LoadFailure{"missing" + std::to_string(i),
                                            make_error(ErrorKind::not_found, "no such record")});
            } else {
                Candidate candidate;
                candidate.id = "c" + std::to_string(i);
                candidate.email = "c" + std::to_string(i) + "@example.com";
                candidate.first_name = "Ada"; // a valid record: the engine checks each one
                candidate.last_name = "Person";
                item = WorkItem(std::move(candidate));
            }
        }
        m_busy = false;
        return item;
    }

    int taken() const {
        return m_next;
    }

    bool overlapped() const {
        return m_overlapped;
    }

  private:
    int m_count;
    std::set<int> m_failing;
    int m_next = 0;
    std::atomic<bool> m_busy{false};
    bool m_overlapped = false;
};

} // namespace

TEST_CASE("send::run processes every item exactly once and keeps the ledger truthful") {
    const pjats::test::TempDir dir;
    const std::string path = dir.file("ledger.db");
    FakeTarget target;
    Source source(200, {7, 150});
    std::vector<ItemReport> reports;
    RunOptions options;
    options.workers = 8;
    auto summary = pjats::send::run(
        target,
        options,
        [&path] { return Ledger::open(path); },
        [&source] { return source(); },
        [&reports](const WorkItem&, const ItemReport& item) { reports.push_back(item); });
    REQUIRE(summary);
    CHECK(summary->processed == 200);
    CHECK_FALSE(summary->interrupted);
    CHECK_FALSE(source.overlapped());

    std::map<std::string, int> reported;
    int sent = 0;
    int failed = 0;
    for (const ItemReport& item : reports) {
        ++reported[item.candidate_id];
        sent += item.status == ItemStatus::sent ? 1 : 0;
        failed += item.status == ItemStatus::failed ? 1 : 0;
    }
    CHECK(reported.size() == 200);
    for (const auto& [id, times] : reported) {
        CAPTURE(id);
        CHECK(times == 1);
    }
    CHECK(sent == 198);
    CHECK(failed == 2);
    const auto creates = target.creates();
    CHECK(creates.size() == 198);
    for (const auto& [id, times] : creates) {
        CAPTURE(id);
        CHECK(times == 1);
    }

    auto ledger = Ledger::open(path);
    REQUIRE(ledger);
    auto counts = (*ledger)->counts();
    REQUIRE(counts);
    CHECK(counts->sent == 198);
    CHECK(counts->pending == 0);

    // A second run skips everything already sent.
    Source again(200, {7, 150});
    std::vector<ItemReport> second;
    auto rerun = pjats::send::run(
        target,
        options,
        [&path] { return Ledger::open(path); },
        [&again] { return again(); },
        [&second](const WorkItem&, const ItemReport& item) { second.push_back(item); });
    REQUIRE(rerun);
    int skipped = 0;
    for (const ItemReport& item : second) {
        skipped += item.status == ItemStatus::skipped ? 1 : 0;
    }
    CHECK(skipped == 198);
    CHECK(target.creates().size() == 198);
}

TEST_CASE("send::run stops taking items once interrupted; sends in flight finish") {
    const pjats::test::TempDir dir;
    const std::string path = dir.file("ledger.db");
    FakeTarget target;
    std::atomic<bool> interrupted{false};
    std::atomic<int> creates{0};
    target.on_create = [&] {
        if (++creates == 10) {
            interrupted = true;
        }
    };
    Source source(1000);
    std::set<std::string> reported;
    RunOptions options;
    options.workers = 4;
    options.interrupted = &interrupted;
    auto summary = pjats::send::run(
        target,
        options,
        [&path] { return Ledger::open(path); },
        [&source] { return source(); },
        [&reported](const WorkItem&, const ItemReport& item) { reported.insert(item.candidate_id); });
    REQUIRE(summary);
    CHECK(summary->interrupted);
    // At most the items already taken when the flag was set (one per worker) follow it.
    CHECK(source.taken() <= 10 + options.workers);
    CHECK(summary->processed == source.taken());
    CHECK(reported.size() == static_cast<std::size_t>(source.taken()));

    auto ledger = Ledger::open(path);
    REQUIRE(ledger);
    auto pending = (*ledger)->list(State::pending);
    REQUIRE(pending);
    CHECK(pending->empty());
    auto sent = (*ledger)->list(State::sent);
    REQUIRE(sent);
    CHECK(sent->size() == reported.size());
}

TEST_CASE("send::run fails before sending when a ledger cannot be opened") {
    FakeTarget target;
    Source source(5);
    int opened = 0;
    RunOptions options;
    options.workers = 3;
    auto summary = pjats::send::run(
        target,
        options,
        [&opened]() -> Result<std::unique_ptr<Ledger>> {
            ++opened;
            return make_error(ErrorKind::config, "cannot open the ledger");
        },
        [&source] { return source(); },
        [](const WorkItem&, const ItemReport&) {});
    REQUIRE_FALSE(summary);
    CHECK(opened == 1);
    CHECK(source.taken() == 0);
    CHECK(target.creates().empty());
}
