// lever::LeverTarget: destinations, dry-run descriptions, create outcomes and lookups.

#include "support/scripted_transport.hpp"
#include "test_lever_support.hpp"

#include <pjats/lever/target.hpp>

#include <doctest/doctest.h>

namespace {

using namespace pjats;
using namespace pjats::lever_test;
using pjats::test::ScriptedTransport;

model::Candidate ada() {
    model::Candidate candidate;
    candidate.id = "42";
    candidate.name = "Ada Lovelace";
    candidate.email = "ada@example.com";
    return candidate;
}

struct Fixture {
    ScriptedTransport transport;
    lever::ApiKeyCredentials credentials{"key"};
    lever::Client client{transport, credentials, ""};
    lever::LeverTarget target{client, "user-1"};
};

send::Placement with_posting(const std::string& posting) {
    send::Placement placement;
    placement.lever_posting = posting;
    return placement;
}

} // namespace

TEST_CASE("lever::LeverTarget::destination") {
    Fixture f;
    CHECK(f.target.name() == "lever");
    CHECK(f.target.destination({}).empty());
    CHECK(f.target.destination(with_posting("p1")) == "posting:p1");
    CHECK(f.target.can_look_up());
}

TEST_CASE("lever::LeverTarget::describe_request") {
    Fixture f;
    SUBCASE("JSON") {
        send::Placement placement = with_posting("p1");
        placement.lever_origin = "applied";
        auto text = f.target.describe_request(ada(), placement);
        REQUIRE_MESSAGE(text.has_value(), text.error().message);
        lever::OpportunityOptions options;
        options.posting_id = "p1";
        options.origin = "applied";
        // Every request of a real send, bodies redacted as in -v.
        CHECK(text->rfind("POST https://api.lever.co/v1/opportunities?perform_as=user-1\n"
                          "{\"name\":\"A***\",\"emails\":[\"a***@example.com\"],",
                          0)
              == 0);
        CHECK(text->find("\n\nPOST https://api.lever.co/v1/opportunities/{opportunity id}/"
                         "notes?perform_as=user-1\nContent-Type: application/json\n"
                         "{\"value\":\"P***\"}\n")
              != std::string::npos);
        CHECK(text->find("/files?") == std::string::npos); // no résumé URL: no file step
        CHECK(text->find("Ada") == std::string::npos);
        CHECK(text->find("Authorization") == std::string::npos);
        model::Candidate with_url = ada();
        with_url.resume_url = "https://files.example.com/cv.pdf?token=s3cret";
        with_url.exported_by = "grace@example.com";
        auto full = f.target.describe_request(with_url, placement);
        REQUIRE(full.has_value());
        CHECK(full->find("/opportunities/{opportunity id}/files?perform_as={user id of "
                         "g***@example.com}\nContent-Type: multipart/form-data\n"
                         "file=@purpose-jobs-")
              != std::string::npos);
        CHECK(full->find("s3cret") == std::string::npos);
        CHECK(full->find("grace@") == std::string::npos);
    }
    SUBCASE("multipart") {
        TempDir dir;
        model::Candidate candidate = ada();
        candidate.resume_file = dir.file("cv.pdf");
        write_text(candidate.resume_file, "0123456789");
        auto text = f.target.describe_request(candidate, {});
        REQUIRE_MESSAGE(text.has_value(), text.error().message);
        CHECK(
            text->rfind("POST https://api.lever.co/v1/opportunities?perform_as=user-1&parse=true\n"
                        "Content-Type: multipart/form-data\n",
                        0)
            == 0);
        CHECK(text->find("resumeFile=@cv.pdf (10 bytes)\n") != std::string::npos);
        CHECK(text->find("tags[]=Purpose Jobs\n") != std::string::npos);
    }
    SUBCASE("a missing résumé file") {
        model::Candidate candidate = ada();
        candidate.resume_file = "/nonexistent/cv.pdf";
        auto text = f.target.describe_request(candidate, {});
        REQUIRE_FALSE(text.has_value());
        CHECK(text.error().field == "meta.purposeJobs.resumeFile");
    }
    CHECK(f.transport.request_count() == 0);
}

TEST_CASE("lever::LeverTarget::create") {
    Fixture f;
    f.transport.respond(201, R"({"data":{"id":"opp-1","contact":"contact-1"},"deduped":true})");
    auto outcome = f.target.create(ada(), with_posting("p1"));
    REQUIRE_MESSAGE(outcome.has_value(), outcome.error().message);
    CHECK(outcome->remote_id == "opp-1");
    CHECK(outcome->detail == "contact-1");
    CHECK(outcome->deduped);
    CHECK_FALSE(outcome->found_existing);
    CHECK(f.transport.request(0).body.find("\"postings\":[\"p1\"]") != std::string::npos);
    CHECK(f.transport.request(0).body.find("\"origin\":\"sourced\"") != std::string::npos);
}

TEST_CASE("lever::LeverTarget::find_existing") {
    Fixture f;
    SUBCASE("the newest match on the posting") {
        f.transport.respond(200,
                            R"({"data":[{"id":"old","contact":"c","createdAt":100,)"
                            R"("applications":["a1"]},{"id":"new","contact":"c","createdAt":200,)"
                            R"("applications":["a2"]}],"hasNext":false})");
        auto found = f.target.find_existing(ada(), with_posting("p1"));
        REQUIRE_MESSAGE(found.has_value(), found.error().message);
        REQUIRE(found->has_value());
        CHECK((*found)->remote_id == "new");
        CHECK((*found)->detail == "c");
        CHECK((*found)->found_existing);
        CHECK(f.transport.request(0).url
              == "https://api.lever.co/v1/opportunities?email=ada%40example.com"
                 "&tag=Purpose%20Jobs&posting_id=p1&limit=100");
    }
    SUBCASE("without a posting, opportunities with an application belong elsewhere") {
        f.transport.respond(200,
                            R"({"data":[{"id":"on-posting","createdAt":300,"applications":["a"]},)"
                            R"({"id":"plain","createdAt":100,"applications":[]}]})");
        auto found = f.target.find_existing(ada(), {});
        REQUIRE(found.has_value());
        REQUIRE(found->has_value());
        CHECK((*found)->remote_id == "plain");
        CHECK(f.transport.request(0).url.find("posting_id") == std::string::npos);
    }
    SUBCASE("nothing found") {
        f.transport.respond(200, R"({"data":[],"hasNext":false})");
        auto found = f.target.find_existing(ada(), with_posting("p1"));
        REQUIRE(found.has_value());
        CHECK_FALSE(found->has_value());
    }
    SUBCASE("a candidate without email cannot be looked up") {
        model::Candidate candidate = ada();
        candidate.email.clear();
        auto found = f.target.find_existing(candidate, {});
        REQUIRE_FALSE(found.has_value());
        CHECK(found.error().kind == ErrorKind::failure);
        CHECK(found.error().message.find("no email") != std::string::npos);
        CHECK(f.transport.request_count() == 0);
    }
    SUBCASE("a failed lookup is an error, not 'nothing found'") {
        f.transport.respond(503, "");
        auto found = f.target.find_existing(ada(), {});
        REQUIRE_FALSE(found.has_value());
        CHECK(found.error().kind == ErrorKind::temporary);
    }
}
