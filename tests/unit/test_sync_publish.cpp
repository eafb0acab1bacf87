// Publishing Lever postings to a source that accepts jobs.

#include "support/scripted_transport.hpp"
#include "support/temp_env.hpp"

#include <pjats/sync/publish.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

using namespace pjats;

namespace {

class JobSink final : public source::Source {
  public:
    std::vector<std::string> published;
    bool fail = false;

    Result<model::Candidate> candidate(const std::string&) override {
        return make_error(ErrorKind::not_found, "not used");
    }

    Result<Page> applications(const std::string&, const std::string&, std::size_t) override {
        return Page{};
    }

    std::string describe() const override {
        return "sink";
    }

    bool accepts_jobs() const override {
        return true;
    }

    Status publish_job(const std::string& posting_id, const std::string& jsonld) override {
        if (fail) {
            return make_error(ErrorKind::temporary, "HTTP 503");
        }
        CHECK(jsonld.find("JobPosting") != std::string::npos);
        published.push_back(posting_id);
        return {};
    }
};

lever::Posting posting(const std::string& id, const std::string& title) {
    lever::Posting p;
    p.id = id;
    p.text = title;
    p.state = "published";
    p.urls.show = "https://jobs.lever.co/acme/" + id;
    return p;
}

} // namespace

TEST_CASE("publish: sends changed postings once, skips unchanged ones") {
    test::TempDir dir;
    auto ledger = ledger::Ledger::open(dir.file("l.db"));
    REQUIRE(ledger.has_value());
    JobSink sink;
    std::vector<lever::Posting> postings = {posting("p1", "Engineer"), posting("p2", "Designer")};

    auto first = sync::publish_postings(sink, postings, ledger->get(), false);
    REQUIRE(first.size() == 2);
    CHECK(first[0].status == sync::PublishReport::Status::published);
    CHECK(sink.published == std::vector<std::string>{"p1", "p2"});

    postings[1].text = "Senior Designer";
    auto second = sync::publish_postings(sink, postings, ledger->get(), false);
    CHECK(second[0].status == sync::PublishReport::Status::unchanged);
    CHECK(second[1].status == sync::PublishReport::Status::published);
    CHECK(sink.published == std::vector<std::string>{"p1", "p2", "p2"});
}

TEST_CASE("publish: dry run and failures write nothing") {
    test::TempDir dir;
    auto ledger = ledger::Ledger::open(dir.file("l.db"));
    REQUIRE(ledger.has_value());
    JobSink sink;
    const std::vector<lever::Posting> postings = {posting("p1", "Engineer")};
    auto planned = sync::publish_postings(sink, postings, nullptr, true);
    CHECK(planned[0].status == sync::PublishReport::Status::planned);
    CHECK(sink.published.empty());

    sink.fail = true;
    auto failed = sync::publish_postings(sink, postings, ledger->get(), false);
    CHECK(failed[0].status == sync::PublishReport::Status::failed);
    CHECK(failed[0].error.kind == ErrorKind::temporary);
    sink.fail = false;
    auto retried = sync::publish_postings(sink, postings, ledger->get(), false);
    CHECK(retried[0].status == sync::PublishReport::Status::published);
}

TEST_CASE("publish: the organisation comes from the Lever site name") {
    CHECK(sync::hiring_organization(posting("p1", "x")) == "acme");
    lever::Posting bare;
    CHECK(sync::hiring_organization(bare) == "Unknown organization");
}

TEST_CASE("url source: publish_job posts JSON-LD to {url}/jobs with the token") {
    test::ScriptedTransport transport;
    transport.respond(201, R"({"ok":true})");
    transport.respond(403, R"({"error":"no"})");
    auto source = source::make_url_source(transport, "https://pj.example/", "tok");
    CHECK(source->accepts_jobs());
    CHECK(source->publish_job("p1", R"({"@type":"JobPosting"})").has_value());
    const http::Request request = transport.request(0);
    CHECK(request.method == "POST");
    CHECK(request.url == "https://pj.example/jobs");
    CHECK(request.body == R"({"@type":"JobPosting"})");
    CHECK(test::header_of(request, "Authorization") == "Bearer tok");
    CHECK(test::header_of(request, "Content-Type") == "application/ld+json");
    auto refused = source->publish_job("p1", "{}");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().kind == ErrorKind::auth);
}
