// The sandbox's fault rules: parsing of the fields and the firing decisions.

#include "test_http_support.hpp"

#include <fake_data.hpp>
#include <fault_queue.hpp>
#include <sandbox_server.hpp>

#include <pjats/http/http.hpp>
#include <pjats/http/url.hpp>

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

using pjats::fakes::FaultAction;
using pjats::fakes::FaultQueue;
using pjats::fakes::FaultRule;
using pjats::fakes::k_unlimited_times;
using pjats::fakes::parse_fault_rules;
using pjats::http_test::contains;

namespace {

std::vector<FaultRule> parse_ok(const std::string& json) {
    std::string error;
    const std::optional<std::vector<FaultRule>> rules = parse_fault_rules(json, error);
    REQUIRE_MESSAGE(rules, error);
    return *rules;
}

std::string parse_error(const std::string& json) {
    std::string error;
    CHECK_FALSE(parse_fault_rules(json, error));
    return error;
}

double never() {
    FAIL("no probability draw expected");
    return 0.0;
}

} // namespace

TEST_CASE("fakes::parse_fault_rules reads the new actions and fields") {
    const std::vector<FaultRule> rules = parse_ok(
        R"([{"path": "/v1/opportunities", "action": "drop_after_silent", "reused_only": true,
             "probability": 0.1, "times": -1},
            {"path": "/v1/users", "action": "echo_auth"},
            {"path": "/v1/users", "action": "echo_auth", "status": 403},
            {"path": "/v1/users", "action": "status"}])");
    REQUIRE(rules.size() == 4);
    CHECK(rules[0].action == FaultAction::drop_after_silent);
    CHECK(rules[0].reused_only);
    CHECK(rules[0].probability == doctest::Approx(0.1));
    CHECK(rules[0].times == k_unlimited_times);
    CHECK(rules[1].action == FaultAction::echo_auth);
    CHECK(rules[1].status == 401); // echo_auth's default
    CHECK(rules[2].status == 403);
    CHECK_FALSE(rules[3].reused_only);
    CHECK(rules[3].probability == 1.0);
    CHECK(rules[3].times == 1);
    CHECK(rules[3].status == 503);
}

TEST_CASE("fakes::parse_fault_rules explains bad new fields") {
    struct Row {
        const char* json;
        const char* message;
    };
    const Row rows[] = {
        {R"([{"path": "/x", "action": "status", "reused_only": 1}])",
         "rule 0: reused_only must be true or false"},
        {R"([{"path": "/x", "action": "status", "probability": 1.5}])",
         "rule 0: probability must be a number from 0 to 1"},
        {R"([{"path": "/x", "action": "status", "probability": "half"}])",
         "rule 0: probability must be a number from 0 to 1"},
        {R"([{"path": "/x", "action": "status", "times": -2}])",
         "rule 0: times must be a non-negative integer, or -1 for unlimited"},
        {R"([{"path": "/x", "action": "drop_silently"}])", "drop_after_silent"},
        {R"([{"path": "/x", "action": "drop_silently"}])", "echo_auth"},
    };
    for (const Row& row : rows) {
        CAPTURE(std::string(row.json));
        CHECK(contains(parse_error(row.json), row.message));
    }
}

TEST_CASE("fakes::FaultQueue fires reused_only rules on reused connections only") {
    FaultQueue queue;
    queue.append(parse_ok(R"([{"path": "/p", "action": "drop_after_silent", "reused_only": true},
                              {"path": "/p", "action": "status", "status": 500}])"));
    // A first request on its connection skips the reused_only rule and takes the next one.
    auto first = queue.take("POST", "/p", false, never);
    REQUIRE(first);
    CHECK(first->action == FaultAction::status);
    CHECK_FALSE(queue.take("POST", "/p", false, never));
    auto reused = queue.take("POST", "/p", true, never);
    REQUIRE(reused);
    CHECK(reused->action == FaultAction::drop_after_silent);
    CHECK(queue.pending() == 0);
}

TEST_CASE("fakes::FaultQueue probability and unlimited times") {
    FaultQueue queue;
    queue.append(parse_ok(
        R"([{"path": "/p", "action": "drop_after_silent", "probability": 0.25, "times": -1}])"));
    const std::vector<double> draws = {0.9, 0.1, 0.3, 0.2499, 0.25};
    std::size_t next = 0;
    const auto draw = [&] { return draws.at(next++); };
    std::vector<bool> fired;
    for (std::size_t i = 0; i < draws.size(); ++i) {
        fired.push_back(queue.take("POST", "/p", false, draw).has_value());
    }
    CHECK(fired == std::vector<bool>{false, true, false, true, false});
    CHECK(queue.pending() == 1); // never used up

    SUBCASE("probability 0 never fires, 1 needs no draw") {
        FaultQueue certain;
        certain.append(parse_ok(R"([{"path": "/q", "action": "status", "probability": 0},
                                    {"path": "/q", "action": "delay", "probability": 1}])"));
        auto taken = certain.take("GET", "/q", false, [] { return 0.0; });
        REQUIRE(taken);
        CHECK(taken->action == FaultAction::delay);
    }
}

TEST_CASE("sandbox echo_auth answers with the request's credentials") {
    pjats::fakes::SandboxOptions options;
    pjats::fakes::SandboxServer sandbox(options);
    std::string error;
    REQUIRE_MESSAGE(sandbox.start(error), error);
    REQUIRE(sandbox.add_faults(R"([{"path": "/v1/users", "action": "echo_auth"}])", error));

    const std::string key(pjats::fakes::k_lever_api_key);
    pjats::http::Request request;
    request.url = sandbox.base_url() + "/v1/users";
    request.headers = {{"Authorization", pjats::http::basic_auth(key, "")}};
    auto transport = pjats::http::make_curl_transport(pjats::http_test::test_options());
    auto answer = transport->send(request);
    REQUIRE(answer);
    CHECK(answer->status == 401);
    CHECK(contains(answer->body, pjats::http::basic_auth(key, ""))); // the header verbatim
    CHECK(contains(answer->body, "API key " + key));                // and the decoded key
}
