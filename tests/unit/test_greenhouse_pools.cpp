// greenhouse::find_pool: --pool / --pool-stage names to ids.
#include <pjats/greenhouse/target.hpp>

#include <doctest/doctest.h>

using namespace pjats;
using pjats::greenhouse::find_pool;
using pjats::greenhouse::ProspectPool;

namespace {

const std::vector<ProspectPool> k_pools = {
    {123, "Cold Outreach: Referred", {{1957, "Not Contacted"}, {1958, "Contacted"}}},
    {456, "Cold Outreach: Sourced", {{1962, "Not Contacted"}, {1963, "Contacted"}}},
    {789, "Alumni", {}},
    {790, "ALUMNI", {}},
};

} // namespace

TEST_CASE("greenhouse::find_pool finds a pool and its stage by name") {
    auto found = find_pool(k_pools, "Cold Outreach: Sourced", "Contacted");
    REQUIRE(found);
    CHECK(found->first == 456);
    CHECK(found->second == 1963);

    auto no_stage = find_pool(k_pools, "Cold Outreach: Referred", "");
    REQUIRE(no_stage);
    CHECK(no_stage->first == 123);
    CHECK_FALSE(no_stage->second.has_value());

    auto icase = find_pool(k_pools, "cold outreach: sourced", "not contacted");
    REQUIRE(icase);
    CHECK(icase->first == 456);
    CHECK(icase->second == 1962);

    auto exact = find_pool(k_pools, "ALUMNI", "");
    REQUIRE(exact);
    CHECK(exact->first == 790);
}

TEST_CASE("greenhouse::find_pool refuses unknown and ambiguous names with the choices") {
    auto unknown = find_pool(k_pools, "Nope", "");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().kind == ErrorKind::usage);
    CHECK(unknown.error().message.find("\"Cold Outreach: Referred\"") != std::string::npos);

    auto ambiguous = find_pool(k_pools, "alumni", ""); // two case-insensitive matches
    REQUIRE_FALSE(ambiguous);
    CHECK(ambiguous.error().kind == ErrorKind::usage);

    auto stage = find_pool(k_pools, "Cold Outreach: Sourced", "Hired");
    REQUIRE_FALSE(stage);
    CHECK(stage.error().kind == ErrorKind::usage);
    CHECK(stage.error().message.find("\"Not Contacted\", \"Contacted\"") != std::string::npos);
}
