// lever::published_posting: what link-job and send --posting accept.

#include "support/scripted_transport.hpp"

#include <pjats/lever/client.hpp>
#include <pjats/lever/posting_check.hpp>

#include <doctest/doctest.h>

namespace {

using namespace pjats;
using pjats::test::ScriptedTransport;

std::string posting_body(const std::string& id, const std::string& state) {
    return R"({"data":{"id":")" + id + R"(","text":"Engineer","state":")" + state + R"("}})";
}

struct Fixture {
    ScriptedTransport transport;
    lever::ApiKeyCredentials credentials{"key"};
    lever::Client client{transport, credentials, "https://api.lever.co"};
};

} // namespace

TEST_CASE("lever::published_posting") {
    Fixture f;
    SUBCASE("published") {
        f.transport.respond(200, posting_body("p1", "published"));
        auto posting = lever::published_posting(f.client, "p1");
        REQUIRE(posting.has_value());
        CHECK(posting->text == "Engineer");
        CHECK(f.transport.request(0).url == "https://api.lever.co/v1/postings/p1");
    }
    SUBCASE("closed, draft or internal postings are refused, naming the state") {
        for (const char* state : {"closed", "draft", "internal", "pending"}) {
            f.transport.respond(200, posting_body("p1", state));
            auto posting = lever::published_posting(f.client, "p1");
            REQUIRE_FALSE(posting.has_value());
            CHECK(posting.error().kind == ErrorKind::validation);
            CHECK(posting.error().message.find(std::string("'") + state + "', not published")
                  != std::string::npos);
        }
    }
    SUBCASE("unknown") {
        f.transport.respond(404, R"({"code":"ResourceNotFound","message":"not found"})");
        auto posting = lever::published_posting(f.client, "nope");
        REQUIRE_FALSE(posting.has_value());
        CHECK(posting.error().kind == ErrorKind::not_found);
        CHECK(posting.error().message.find("Lever posting nope does not exist")
              != std::string::npos);
    }
    SUBCASE("other errors pass through") {
        f.transport.respond(401, R"({"code":"UnauthorizedError","message":"bad key"})");
        auto posting = lever::published_posting(f.client, "p1");
        REQUIRE_FALSE(posting.has_value());
        CHECK(posting.error().kind == ErrorKind::auth);
    }
}
