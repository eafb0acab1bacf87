#include <pjats/text/suggest.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using pjats::text::closest_match;
using pjats::text::edit_distance;

TEST_CASE("text::edit_distance counts a swap of neighbours as one edit") {
    CHECK(edit_distance("send", "send") == 0);
    CHECK(edit_distance("sned", "send") == 1);
    CHECK(edit_distance("lver", "lever") == 1);
    CHECK(edit_distance("jobs", "job") == 1);
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("text::closest_match suggests only plausible typos") {
    const std::vector<std::string> commands = {
        "configure", "send", "link-job", "sync", "postings", "jobs", "status", "revoke", "sandbox"};
    CHECK(closest_match("sned", commands) == std::optional<std::string>("send"));
    CHECK(closest_match("stauts", commands) == std::optional<std::string>("status"));
    CHECK(closest_match("configur", commands) == std::optional<std::string>("configure"));
    CHECK_FALSE(closest_match("foo", commands).has_value());
    CHECK_FALSE(closest_match("", commands).has_value());
    CHECK_FALSE(closest_match("send", commands).has_value()); // not a typo

    const std::vector<std::string> flags = {"--to", "--job", "--posting", "--ids-from"};
    CHECK(closest_match("--jobs", flags) == std::optional<std::string>("--job"));
    CHECK(closest_match("-job", flags) == std::optional<std::string>("--job"));
    CHECK_FALSE(closest_match("--verbosity", flags).has_value());
}
