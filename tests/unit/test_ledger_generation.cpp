// The generation (serial) of a ledger and the older-copy check (generation.hpp), on both
// backends.

#include "test_ledger_backends.hpp"

#include <pjats/ledger/generation.hpp>
#include <pjats/ledger/ledger.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

using namespace pjats;
using namespace pjats::ledger;
using namespace pjats::ledger_test;

TEST_CASE_TEMPLATE("ledger generation: runs count up, an older copy is refused", Backend,
                   PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = db.open();
    auto first = advance_generation(*ledger, Generation{}, "here");
    REQUIRE(first);
    CHECK(first->serial == 1);
    CHECK(first->lineage == *ledger->lineage());
    auto second = advance_generation(*ledger, *first, "here");
    REQUIRE(second);
    CHECK(second->serial == 2);

    // The profile saw run 5 of this history: a ledger at 2 is an older copy.
    const Generation seen{first->lineage, 5};
    auto refused = advance_generation(*ledger, seen, "the-ledger");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == ErrorKind::config);
    CHECK(refused.error().message.find("older copy") != std::string::npos);
    CHECK(refused.error().message.find("the-ledger") != std::string::npos);
    CHECK(*current_generation(*ledger) == Generation{first->lineage, 2}); // not counted

    // Another lineage is not this check's business (the lineage check is).
    CHECK(advance_generation(*ledger, Generation{"other", 99}, "here"));

    // After an import made it continue the history, it is past what the profile saw.
    auto continued = continue_generation(*ledger, seen);
    REQUIRE(continued);
    CHECK(continued->serial == 6);
    CHECK(check_not_older(*ledger, seen, "here"));
}

TEST_CASE_TEMPLATE("ledger generation: concurrent runs each get their own serial", Backend,
                   PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    static_cast<void>(db.open()); // created once
    std::vector<std::int64_t> serials(4);
    {
        std::vector<std::thread> runs;
        for (std::size_t i = 0; i < serials.size(); ++i) {
            runs.emplace_back([&, i] {
                auto ledger = open_location(db.location());
                REQUIRE(ledger);
                auto serial = (*ledger)->bump_serial();
                REQUIRE(serial);
                serials[i] = *serial;
            });
        }
        for (auto& run : runs) {
            run.join();
        }
    }
    std::sort(serials.begin(), serials.end());
    CHECK(serials == std::vector<std::int64_t>{1, 2, 3, 4});
}

TEST_CASE("ledger generation: the profile's record keeps the highest serial it saw") {
    pjats::test::TempDir dir;
    const std::string path = dir.file("p.ledger-serial");
    CHECK(read_generation(path).serial == 0);
    REQUIRE(write_generation(path, Generation{"L", 4}));
    REQUIRE(write_generation(path, Generation{"L", 3})); // a slower run of the profile
    CHECK(read_generation(path).serial == 4);
    REQUIRE(write_generation(path, Generation{"M", 1})); // another ledger
    CHECK(read_generation(path).lineage == "M");
}
