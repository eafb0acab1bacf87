// Several connections writing one ledger at once, as overlapping pj-ats processes do.

#include "test_ledger_support.hpp"

#include <pjats/ledger/ledger.hpp>

#include <doctest/doctest.h>

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

TEST_CASE("ledger::Ledger two connections write concurrently") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    auto first = open_ok(path);
    auto second = open_ok(path);

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

    auto reopened = open_ok(path);
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
    CHECK(raw.integer("PRAGMA user_version") == 2);
}
