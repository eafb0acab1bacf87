// The url source (docs/url-source.md) against a scripted transport.

#include "support/scripted_transport.hpp"

#include <pjats/source/source.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace pjats;
using pjats::test::header_of;
using pjats::test::ScriptedTransport;

namespace {

std::string resume(const std::string& id) {
    return R"({"basics":{"name":"Ada Lovelace","email":"ada@example.com"},)"
           R"("meta":{"purposeJobs":{"id":")"
           + id + R"("}}})";
}

std::string entry(const std::string& id, const std::string& cursor, const std::string& cid) {
    return R"({"id":")" + id + R"(","cursor":")" + cursor + R"(","candidate":)" + resume(cid) + "}";
}

} // namespace

TEST_CASE("url source: GET candidates/{id} with the bearer token") {
    ScriptedTransport transport;
    transport.respond(200, resume("1042"));
    auto source = source::make_url_source(transport, "https://pj.example/api/", "tok_1");
    auto candidate = source->candidate("1042");
    REQUIRE(candidate.has_value());
    CHECK(candidate->id == "1042");
    CHECK(candidate->last_name == "Lovelace");
    REQUIRE(transport.request_count() == 1);
    CHECK(transport.request(0).method == "GET");
    CHECK(transport.request(0).url == "https://pj.example/api/candidates/1042");
    CHECK(header_of(transport.request(0), "Authorization") == "Bearer tok_1");
    CHECK(source->describe() == "url https://pj.example/api");
}

TEST_CASE("url source: statuses map to error kinds") {
    struct Row {
        long status;
        ErrorKind kind;
    };

    for (const Row row : {Row{404, ErrorKind::not_found},
                          Row{401, ErrorKind::auth},
                          Row{403, ErrorKind::auth},
                          Row{503, ErrorKind::temporary},
                          Row{400, ErrorKind::failure}}) {
        ScriptedTransport transport;
        transport.respond(row.status, R"({"error":"x"})");
        auto source = source::make_url_source(transport, "https://pj.example", "secret_tok");
        auto candidate = source->candidate("7");
        REQUIRE_FALSE(candidate.has_value());
        CHECK(candidate.error().kind == row.kind);
        CHECK(candidate.error().message.find("secret_tok") == std::string::npos);
    }
}

TEST_CASE("url source: a bad id never reaches the network") {
    ScriptedTransport transport;
    auto source = source::make_url_source(transport, "https://pj.example", "t");
    CHECK_FALSE(source->candidate("../etc").has_value());
    CHECK_FALSE(source->applications("a/b", "", 0).has_value());
    CHECK(transport.request_count() == 0);
}

TEST_CASE("url source: a record whose id differs is rejected") {
    ScriptedTransport transport;
    transport.respond(200, resume("99"));
    auto source = source::make_url_source(transport, "https://pj.example", "t");
    auto candidate = source->candidate("7");
    REQUIRE_FALSE(candidate.has_value());
    CHECK(candidate.error().kind == ErrorKind::validation);
}

TEST_CASE("url source: applications follow next and keep bad entries as errors") {
    ScriptedTransport transport;
    transport.respond(200,
                      R"({"applications":[)" + entry("a1", "c1", "1") + R"(,{"id":"a2"},)"
                          + R"({"id":"a3","cursor":"c3","candidate":{"basics":{}}}],)"
                          + R"("next":"c3"})");
    transport.respond(200, R"({"applications":[)" + entry("a4", "c 4", "4") + "]}");
    auto source = source::make_url_source(transport, "https://pj.example", "t");
    auto page = source->applications("job-77", "c0", 0);
    REQUIRE(page.has_value());
    REQUIRE(page->applications.size() == 2);
    CHECK(page->applications[0].id == "a1");
    CHECK(page->applications[0].cursor == "c1");
    CHECK(page->applications[0].job_id == "job-77");
    CHECK(page->applications[0].candidate.id == "1");
    CHECK(page->applications[1].cursor == "c 4");
    CHECK(page->errors.size() == 2);
    REQUIRE(transport.request_count() == 2);
    CHECK(transport.request(0).url == "https://pj.example/jobs/job-77/applications?since=c0");
    CHECK(transport.request(1).url == "https://pj.example/jobs/job-77/applications?since=c3");
}

TEST_CASE("url source: the limit stops the listing") {
    ScriptedTransport transport;
    transport.respond(200,
                      R"({"applications":[)" + entry("a1", "c1", "1") + "," + entry("a2", "c2", "2")
                          + R"(],"next":"c2"})");
    auto source = source::make_url_source(transport, "https://pj.example", "t");
    auto page = source->applications("j", "", 1);
    REQUIRE(page.has_value());
    CHECK(page->applications.size() == 1);
    CHECK(transport.request_count() == 1);
    CHECK(transport.request(0).url == "https://pj.example/jobs/j/applications");
}

TEST_CASE("url source: a page that is not the contract is a decode error") {
    ScriptedTransport transport;
    transport.respond(200, R"({"items":[]})");
    transport.respond(200, "not json");
    auto source = source::make_url_source(transport, "https://pj.example", "t");
    auto first = source->applications("j", "", 0);
    REQUIRE_FALSE(first.has_value());
    CHECK(first.error().kind == ErrorKind::decode);
    auto second = source->applications("j", "", 0);
    REQUIRE_FALSE(second.has_value());
    CHECK(second.error().kind == ErrorKind::decode);
}
