// Several connections writing one ledger at once, as overlapping pj-ats processes do.

#include "test_ledger_backends.hpp"

#include <pjats/ledger/ledger.hpp>

#include <doctest/doctest.h>

#include <pjats/ledger/run.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace pjats;
using namespace pjats::ledger;
using namespace pjats::ledger_test;

namespace {

constexpr int k_rows_per_writer = 200;

// Writes `k_rows_per_writer` rows through `ledger`; returns the error messages seen.
std::vector<std::string> write_rows(Ledger& ledger, const std::string& prefix) {
    std::vector<std::string> errors;
    for (int i = 0; i < k_rows_per_writer; ++i) {
        const Key key{prefix + std::to_string(i), "lever", ""};
        if (auto marked = ledger.mark_pending(key, "hint"); !marked) {
            errors.push_back(marked.error().message);
        }
        if (auto marked = ledger.mark_sent(key, "remote-" + key.candidate_id); !marked) {
            errors.push_back(marked.error().message);
        }
        if (auto entry = ledger.get(key); !entry) {
            errors.push_back(entry.error().message);
        }
    }
    return errors;
}

} // namespace

TEST_CASE_TEMPLATE("ledger::Ledger two connections write concurrently", Backend,
                   PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto first = db.open();
    auto second = db.open();

    std::vector<std::string> first_errors;
    std::vector<std::string> second_errors;
    std::thread a([&] { first_errors = write_rows(*first, "a-"); });
    std::thread b([&] { second_errors = write_rows(*second, "b-"); });
    a.join();
    b.join();
    // No SQLITE_BUSY ("database is locked"): the busy timeout makes writers wait.
    CHECK(first_errors.empty());
    CHECK(second_errors.empty());
    if (!first_errors.empty()) {
        MESSAGE(first_errors.front());
    }
    if (!second_errors.empty()) {
        MESSAGE(second_errors.front());
    }

    auto reopened = db.open();
    auto counts = reopened->counts();
    REQUIRE(counts);
    CHECK(counts->sent == 2 * k_rows_per_writer);
    CHECK(counts->pending == 0);
    for (const std::string prefix : {"a-", "b-"}) {
        for (int i = 0; i < k_rows_per_writer; ++i) {
            auto entry = reopened->get({prefix + std::to_string(i), "lever", ""});
            REQUIRE(entry);
            REQUIRE(entry->has_value());
            CHECK((*entry)->remote_id == "remote-" + prefix + std::to_string(i));
        }
    }
}

TEST_CASE("ledger::Ledger::open races on a fresh file") {
    // Both openers create and migrate the same new database; both must succeed.
    TempDir dir;
    const std::string path = dir.file("fresh/l.db");
    std::unique_ptr<Ledger> ledgers[2];
    std::string errors[2];
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
        threads.emplace_back([&, i] {
            auto opened = Ledger::open(path);
            if (opened) {
                ledgers[i] = std::move(*opened);
            } else {
                errors[i] = opened.error().message;
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    CHECK_MESSAGE(errors[0].empty(), errors[0]);
    CHECK_MESSAGE(errors[1].empty(), errors[1]);
    REQUIRE(ledgers[0]);
    REQUIRE(ledgers[1]);
    REQUIRE(ledgers[0]->mark_sent({"c", "lever", ""}, "r"));
    auto entry = ledgers[1]->get({"c", "lever", ""});
    REQUIRE(entry);
    CHECK(entry->has_value());
    RawDb raw(path);
    CHECK(raw.integer("PRAGMA user_version") == 3);
}

TEST_CASE("ledger::PostgreSQL ledger: openers of a fresh database migrate it once") {
    // Four connections (as four machines starting at once) create the schema together:
    // the advisory lock makes one migrate and the others find it done.
    TestLedger db(PostgresBackend::kind);
    PJATS_REQUIRE_BACKEND(db);
    constexpr int k_openers = 4;
    std::unique_ptr<Ledger> ledgers[k_openers];
    std::string errors[k_openers];
    std::vector<std::thread> threads;
    for (int i = 0; i < k_openers; ++i) {
        threads.emplace_back([&, i] {
            auto opened = open_location(db.location());
            if (opened) {
                ledgers[i] = std::move(*opened);
            } else {
                errors[i] = opened.error().message;
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    for (int i = 0; i < k_openers; ++i) {
        CHECK_MESSAGE(errors[i].empty(), errors[i]);
        REQUIRE(ledgers[i]);
    }
    auto lineage = ledgers[0]->lineage();
    REQUIRE(lineage);
    CHECK(lineage->size() == 32);
    for (int i = 1; i < k_openers; ++i) {
        CHECK(*ledgers[i]->lineage() == *lineage);
    }
    REQUIRE(ledgers[0]->mark_sent({"c", "lever", ""}, "r"));
    auto entry = ledgers[3]->get({"c", "lever", ""});
    REQUIRE(entry);
    CHECK(entry->has_value());
}

TEST_CASE("ledger::PostgreSQL ledger: concurrent claims of one row, one winner each round") {
    TestLedger db(PostgresBackend::kind);
    PJATS_REQUIRE_BACKEND(db);
    constexpr int k_threads = 4;
    constexpr int k_rows = 30;
    std::atomic<int> wins{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < k_threads; ++t) {
        threads.emplace_back([&, t] {
            auto opened = open_location(db.location());
            if (!opened) {
                return;
            }
            RunIdentity run = this_process();
            run.run_id = "run-" + std::to_string(t);
            if (!(*opened)->begin_run(run, "test")) {
                return;
            }
            for (int i = 0; i < k_rows; ++i) {
                auto claimed = (*opened)->claim({"c" + std::to_string(i), "lever", ""}, "", 0);
                wins += claimed && *claimed ? 1 : 0;
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    CHECK(wins.load() == k_rows);
}
