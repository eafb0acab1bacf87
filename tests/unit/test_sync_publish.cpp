// Publishing Lever postings to a source that accepts jobs.

#include "support/scripted_transport.hpp"
#include "support/temp_env.hpp"

#include <pjats/sync/publish.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace pjats;

namespace {

class JobSink final : public source::Source {
  public:
    std::vector<std::string> published;
    std::vector<std::string> documents; // the JSON-LD of each publish
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
        documents.push_back(jsonld);
        return {};
    }

    std::vector<std::string> retracted;
    std::optional<ErrorKind> retract_error; // answer retractions with this error

    Status retract_job(const std::string& posting_id) override {
        if (retract_error) {
            return make_error(*retract_error, "retract " + posting_id);
        }
        retracted.push_back(posting_id);
        return {};
    }
};

std::vector<sync::PublishReport::Status> statuses(const std::vector<sync::PublishReport>& reports) {
    std::vector<sync::PublishReport::Status> out;
    for (const auto& report : reports) {
        out.push_back(report.status);
    }
    return out;
}

const sync::PublishScope k_scope{"https://api.lever.co/v1#user:u1", "dir /export",
                                 "Acme Climate Inc."};

// A posting that is a valid JobPosting: title, content, date, a place.
lever::Posting posting(const std::string& id, const std::string& title) {
    lever::Posting p;
    p.id = id;
    p.text = title;
    p.state = "published";
    p.urls.show = "https://jobs.lever.co/acme/" + id;
    p.content.description = "What you will do.";
    p.created_at = 1700000000000;
    p.categories.location = "Oakland, CA";
    return p;
}

} // namespace

TEST_CASE("publish: sends changed postings once, skips unchanged ones") {
    test::TempDir dir;
    auto ledger = ledger::Ledger::open(dir.file("l.db"));
    REQUIRE(ledger.has_value());
    JobSink sink;
    std::vector<lever::Posting> postings = {posting("p1", "Engineer"), posting("p2", "Designer")};

    auto first = sync::publish_postings(sink, postings, ledger->get(), false, k_scope);
    REQUIRE(first.size() == 2);
    CHECK(first[0].status == sync::PublishReport::Status::published);
    CHECK(sink.published == std::vector<std::string>{"p1", "p2"});

    postings[1].text = "Senior Designer";
    auto second = sync::publish_postings(sink, postings, ledger->get(), false, k_scope);
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
    auto planned = sync::publish_postings(sink, postings, nullptr, true, k_scope);
    CHECK(planned[0].status == sync::PublishReport::Status::planned);
    CHECK(sink.published.empty());

    sink.fail = true;
    auto failed = sync::publish_postings(sink, postings, ledger->get(), false, k_scope);
    CHECK(failed[0].status == sync::PublishReport::Status::failed);
    CHECK(failed[0].error.kind == ErrorKind::temporary);
    sink.fail = false;
    auto retried = sync::publish_postings(sink, postings, ledger->get(), false, k_scope);
    CHECK(retried[0].status == sync::PublishReport::Status::published);
}

TEST_CASE("publish: the organization is the scope's; an invalid posting is not published") {
    using S = sync::PublishReport::Status;
    test::TempDir dir;
    auto ledger = ledger::Ledger::open(dir.file("l.db"));
    REQUIRE(ledger.has_value());
    JobSink sink;
    lever::Posting empty = posting("p2", "Designer");
    empty.content = {};
    auto reports =
        sync::publish_postings(sink, {posting("p1", "Engineer"), empty}, ledger->get(), false, k_scope);
    CHECK(statuses(reports) == std::vector<S>{S::published, S::invalid});
    CHECK(reports[1].problems.size() == 1);
    CHECK(sink.published == std::vector<std::string>{"p1"});
    REQUIRE(sink.documents.size() == 1);
    CHECK(sink.documents[0].find(R"("name":"Acme Climate Inc.")") != std::string::npos);
    CHECK(sink.documents[0].find("acme\"") == std::string::npos);

    sync::PublishScope nameless = k_scope;
    nameless.organization.clear();
    auto none = sync::publish_postings(sink, {posting("p1", "Engineer"), posting("p3", "Writer")},
                                       ledger->get(), false, nameless);
    CHECK(statuses(none) == std::vector<S>{S::invalid, S::invalid});
    CHECK(sink.published.size() == 1);
}

TEST_CASE("publish: postings belong to their account; another account retracts none") {
    using S = sync::PublishReport::Status;
    test::TempDir dir;
    auto ledger = ledger::Ledger::open(dir.file("l.db"));
    REQUIRE(ledger.has_value());
    JobSink sink;
    sync::PublishScope first = k_scope;
    sync::PublishScope second = k_scope;
    second.account = "https://api.lever.co/v1#user:u2";
    sync::publish_postings(sink, {posting("a1", "A1"), posting("a2", "A2")}, ledger->get(),
                           false, first);
    auto other = sync::publish_postings(sink, {posting("b1", "B1")}, ledger->get(), false, second);
    CHECK(statuses(other) == std::vector<S>{S::published});
    CHECK(sink.retracted.empty());
    // The first account's own sync still retracts its closed posting, and only that one.
    auto closed = sync::publish_postings(sink, {posting("a1", "A1")}, ledger->get(), false, first);
    CHECK(statuses(closed) == std::vector<S>{S::unchanged, S::retracted});
    CHECK(sink.retracted == std::vector<std::string>{"a2"});
    // The same account publishing to another source keeps its own list there.
    sync::PublishScope elsewhere = first;
    elsewhere.source = "url https://other.example";
    auto fresh = sync::publish_postings(sink, {}, ledger->get(), false, elsewhere);
    CHECK(fresh.empty());
}

TEST_CASE("publish: ids indexed before postings were scoped are adopted only when listed") {
    using S = sync::PublishReport::Status;
    test::TempDir dir;
    auto ledger = ledger::Ledger::open(dir.file("l.db"));
    REQUIRE(ledger.has_value());
    REQUIRE((*ledger)->set_meta("published_postings", "a1 a2").has_value());
    JobSink sink;
    sync::PublishScope other = k_scope;
    other.account = "https://api.lever.co/v1#user:u2";
    auto run = sync::publish_postings(sink, {posting("b1", "B1")}, ledger->get(), false, other);
    CHECK(statuses(run) == std::vector<S>{S::published});
    CHECK(sink.retracted.empty());
    auto mine = sync::publish_postings(sink, {posting("a1", "A1")}, ledger->get(), false, k_scope);
    CHECK(statuses(mine) == std::vector<S>{S::published});
    auto closed = sync::publish_postings(sink, {}, ledger->get(), false, k_scope);
    CHECK(statuses(closed) == std::vector<S>{S::retracted});
    CHECK(sink.retracted == std::vector<std::string>{"a1"});
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

TEST_CASE("publish: a posting no longer published is retracted once") {
    using S = sync::PublishReport::Status;
    test::TempDir dir;
    auto ledger = ledger::Ledger::open(dir.file("l.db"));
    REQUIRE(ledger.has_value());
    JobSink sink;
    std::vector<lever::Posting> postings = {
        posting("p1", "Engineer"), posting("p2", "Designer"), posting("p3", "Writer")};
    sync::publish_postings(sink, postings, ledger->get(), false, k_scope);
    CHECK(sink.published.size() == 3);

    // p2 closed, p3 deleted: both are withdrawn; p1 stays untouched.
    postings = {posting("p1", "Engineer")};
    auto dry = sync::publish_postings(sink, postings, ledger->get(), true, k_scope);
    CHECK(statuses(dry) == std::vector<S>{S::unchanged, S::retract_planned, S::retract_planned});
    CHECK(sink.retracted.empty());

    auto run = sync::publish_postings(sink, postings, ledger->get(), false, k_scope);
    REQUIRE(run.size() == 3);
    CHECK(statuses(run) == std::vector<S>{S::unchanged, S::retracted, S::retracted});
    CHECK(run[1].posting_id == "p2");
    CHECK(run[2].posting_id == "p3");
    CHECK(sink.retracted == std::vector<std::string>{"p2", "p3"});

    // Once: the next run has nothing to retract.
    auto next = sync::publish_postings(sink, postings, ledger->get(), false, k_scope);
    CHECK(statuses(next) == std::vector<S>{S::unchanged});
    CHECK(sink.retracted.size() == 2);

    // Re-opened in Lever: published again, and retracted again when it closes again.
    postings.push_back(posting("p2", "Designer"));
    auto reopened = sync::publish_postings(sink, postings, ledger->get(), false, k_scope);
    CHECK(statuses(reopened) == std::vector<S>{S::unchanged, S::published});
    postings.pop_back();
    auto closed = sync::publish_postings(sink, postings, ledger->get(), false, k_scope);
    CHECK(statuses(closed) == std::vector<S>{S::unchanged, S::retracted});
    CHECK(sink.retracted == std::vector<std::string>{"p2", "p3", "p2"});
}

TEST_CASE("publish: a failed retraction is tried again; one the source lacks counts as done") {
    using S = sync::PublishReport::Status;
    test::TempDir dir;
    auto ledger = ledger::Ledger::open(dir.file("l.db"));
    REQUIRE(ledger.has_value());
    JobSink sink;
    sync::publish_postings(sink, {posting("p1", "Engineer")}, ledger->get(), false, k_scope);

    sink.retract_error = ErrorKind::temporary;
    auto failed = sync::publish_postings(sink, {}, ledger->get(), false, k_scope);
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].status == S::failed);
    CHECK(failed[0].error.kind == ErrorKind::temporary);
    CHECK(failed[0].error.message.find("retracting") != std::string::npos);

    sink.retract_error = ErrorKind::not_found;
    auto gone = sync::publish_postings(sink, {}, ledger->get(), false, k_scope);
    CHECK(statuses(gone) == std::vector<S>{S::retracted});
    sink.retract_error.reset();
    CHECK(sync::publish_postings(sink, {}, ledger->get(), false, k_scope).empty());
}

TEST_CASE("publish: postings published before the index was kept are retracted too") {
    using S = sync::PublishReport::Status;
    test::TempDir dir;
    auto ledger = ledger::Ledger::open(dir.file("l.db"));
    REQUIRE(ledger.has_value());
    JobSink sink;
    sync::publish_postings(sink, {posting("p1", "Engineer")}, ledger->get(), false, k_scope);
    REQUIRE((*ledger)->set_meta("published_postings", "")); // as an older pj-ats left it
    // Still published: found by its fingerprint and indexed again.
    sync::publish_postings(sink, {posting("p1", "Engineer")}, ledger->get(), false, k_scope);
    auto closed = sync::publish_postings(sink, {}, ledger->get(), false, k_scope);
    CHECK(statuses(closed) == std::vector<S>{S::retracted});
}

TEST_CASE("url source: retract_job deletes {url}/jobs/{id} with the token") {
    test::ScriptedTransport transport;
    transport.respond(204, "");
    transport.respond(404, R"({"error":"no such job"})");
    auto source = source::make_url_source(transport, "https://pj.example/", "tok");
    CHECK(source->retract_job("p-1").has_value());
    const http::Request request = transport.request(0);
    CHECK(request.method == "DELETE");
    CHECK(request.url == "https://pj.example/jobs/p-1");
    CHECK(request.body.empty());
    CHECK(test::header_of(request, "Authorization") == "Bearer tok");
    auto missing = source->retract_job("p-1");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().kind == ErrorKind::not_found);
    auto bad = source->retract_job("../x");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().kind == ErrorKind::usage);
    CHECK(transport.request_count() == 2);
}
