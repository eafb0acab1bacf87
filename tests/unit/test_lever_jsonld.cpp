// schema.org JobPosting documents from Lever postings: Google's required fields for every
// fixture posting, and the field mappings.

#include "test_lever_support.hpp"

#include <pjats/lever/jsonld.hpp>

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace {

using namespace pjats;
using namespace pjats::lever_test;

std::vector<lever::Posting> fixture_postings() {
    std::vector<lever::Posting> all;
    for (const char* name : {"postings_page_1.json", "postings_page_2.json"}) {
        auto page = lever::decode_postings_page(read_text(lever_fixture(name)));
        REQUIRE_MESSAGE(page.has_value(), page.error().message);
        for (lever::Posting& posting : page->items) {
            all.push_back(std::move(posting));
        }
    }
    return all;
}

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse(text.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    REQUIRE(doc.IsObject());
    return doc;
}

bool non_empty_string(const rapidjson::Value& object, const char* key) {
    const auto it = object.FindMember(key);
    return it != object.MemberEnd() && it->value.IsString() && it->value.GetStringLength() > 0;
}

lever::Posting posting_by_id(const std::string& id) {
    for (lever::Posting& posting : fixture_postings()) {
        if (posting.id == id) {
            return posting;
        }
    }
    FAIL("no fixture posting " << id);
    return {};
}

} // namespace

TEST_CASE("lever::posting_jsonld has Google's required fields for every fixture posting") {
    const std::vector<lever::Posting> postings = fixture_postings();
    REQUIRE(postings.size() == 4);
    std::size_t invalid = 0;
    for (const lever::Posting& posting : postings) {
        CAPTURE(posting.id);
        const lever::JobPostingDocument checked = lever::job_posting(posting, "Example Org");
        if (!checked.problems.empty()) {
            // The one remote posting without a country: Google needs where applicants may
            // live, so it is not published.
            CHECK(posting.workplace_type == "remote");
            CHECK(posting.country.empty());
            ++invalid;
            continue;
        }
        rapidjson::Document doc = parse(checked.json);
        CHECK(std::string(doc["@context"].GetString()) == "https://schema.org/");
        CHECK(std::string(doc["@type"].GetString()) == "JobPosting");
        CHECK(non_empty_string(doc, "title"));
        CHECK(non_empty_string(doc, "description"));
        REQUIRE(non_empty_string(doc, "datePosted"));
        CHECK(std::string(doc["datePosted"].GetString()).size() == 10);
        REQUIRE(doc.HasMember("hiringOrganization"));
        CHECK(std::string(doc["hiringOrganization"]["@type"].GetString()) == "Organization");
        CHECK(std::string(doc["hiringOrganization"]["name"].GetString()) == "Example Org");
        const bool located = doc.HasMember("jobLocation");
        const bool remote =
            doc.HasMember("applicantLocationRequirements")
            || (doc.HasMember("jobLocationType")
                && std::string(doc["jobLocationType"].GetString()) == "TELECOMMUTE");
        CHECK((located || remote));
        CHECK(doc["directApply"].IsFalse());
        CHECK(std::string(doc["identifier"]["value"].GetString()) == posting.id);
        CHECK_FALSE(doc.HasMember("validThrough"));
    }
    CHECK(invalid == 1);
}

TEST_CASE("lever::posting_jsonld for an on-site posting with a yearly salary") {
    const lever::Posting posting = posting_by_id("730e37db-93d3-4acf-b9de-7cfc397cef1d");
    rapidjson::Document doc = parse(lever::posting_jsonld(posting, "Example Org"));
    CHECK(std::string(doc["title"].GetString()) == "Senior Climate Data Engineer");
    CHECK(std::string(doc["datePosted"].GetString()) == "2024-06-10");
    CHECK(std::string(doc["employmentType"].GetString()) == "FULL_TIME");
    CHECK(std::string(doc["description"].GetString())
          == "<div>We measure emissions so others can cut them.</div>"
             "<h3>What you will do</h3><ul><li>Build pipelines</li><li>Own data quality</li></ul>"
             "<h3>What you bring</h3><ul><li>Python or Go</li></ul>"
             "<div>Apply even if you miss a requirement.</div>");
    const rapidjson::Value& address = doc["jobLocation"]["address"];
    CHECK(std::string(doc["jobLocation"]["@type"].GetString()) == "Place");
    CHECK(std::string(address["@type"].GetString()) == "PostalAddress");
    CHECK(std::string(address["addressLocality"].GetString()) == "Berlin");
    CHECK(std::string(address["addressCountry"].GetString()) == "DE");
    CHECK_FALSE(doc.HasMember("jobLocationType"));
    const rapidjson::Value& salary = doc["baseSalary"];
    CHECK(std::string(salary["@type"].GetString()) == "MonetaryAmount");
    CHECK(std::string(salary["currency"].GetString()) == "EUR");
    CHECK(std::string(salary["value"]["@type"].GetString()) == "QuantitativeValue");
    CHECK(salary["value"]["minValue"].GetInt() == 70000);
    CHECK(salary["value"]["maxValue"].GetInt() == 90000);
    CHECK(std::string(salary["value"]["unitText"].GetString()) == "YEAR");
    CHECK(std::string(doc["url"].GetString())
          == "https://jobs.lever.co/example/730e37db-93d3-4acf-b9de-7cfc397cef1d");
}

TEST_CASE("lever::posting_jsonld for a remote posting") {
    const lever::Posting posting = posting_by_id("b3f4c0a2-1d2e-4f5a-8b6c-7d8e9f0a1b2c");
    rapidjson::Document doc = parse(lever::posting_jsonld(posting, "Example Org"));
    CHECK(std::string(doc["jobLocationType"].GetString()) == "TELECOMMUTE");
    CHECK(std::string(doc["applicantLocationRequirements"]["@type"].GetString()) == "Country");
    CHECK(std::string(doc["applicantLocationRequirements"]["name"].GetString()) == "US");
    CHECK_FALSE(doc.HasMember("jobLocation")); // "Remote" is not a place
    CHECK(std::string(doc["employmentType"].GetString()) == "PART_TIME");
    CHECK(doc["baseSalary"]["value"]["minValue"].GetDouble() == doctest::Approx(28.5));
    CHECK(std::string(doc["baseSalary"]["value"]["unitText"].GetString()) == "HOUR");
}

TEST_CASE("lever::posting_jsonld falls back when content is sparse") {
    lever::Posting posting;
    posting.id = "p1";
    posting.text = "Title only";
    posting.updated_at = 86'400'000;
    posting.categories.location = "Lisbon";
    rapidjson::Document doc = parse(lever::posting_jsonld(posting, "Org"));
    CHECK_FALSE(doc.HasMember("description")); // never the title standing in
    CHECK(lever::job_posting(posting, "Org").json.empty());
    CHECK(std::string(doc["datePosted"].GetString()) == "1970-01-02");
    CHECK_FALSE(doc.HasMember("employmentType"));
    CHECK_FALSE(doc.HasMember("baseSalary"));
    CHECK_FALSE(doc.HasMember("url"));
    CHECK(std::string(doc["jobLocation"]["address"]["addressLocality"].GetString()) == "Lisbon");

    SUBCASE("plain text description") {
        posting.content.description = "Plain";
        rapidjson::Document plain = parse(lever::posting_jsonld(posting, "Org"));
        CHECK(std::string(plain["description"].GetString()) == "Plain");
    }
    SUBCASE("a salary with an interval schema.org cannot express is left out") {
        posting.salary_range = lever::SalaryRange{1000, 2000, "USD", "one-time"};
        rapidjson::Document salary = parse(lever::posting_jsonld(posting, "Org"));
        CHECK_FALSE(salary.HasMember("baseSalary"));
    }
    SUBCASE("text that needs escaping stays valid JSON") {
        posting.text = "Quote \" and backslash \\ and\nnewline";
        rapidjson::Document escaped = parse(lever::posting_jsonld(posting, "Org"));
        CHECK(std::string(escaped["title"].GetString()) == posting.text);
    }
}

namespace {

// A posting Google accepts: title, content, date, a place.
lever::Posting valid_posting() {
    lever::Posting p;
    p.id = "p1";
    p.text = "Engineer";
    p.content.description = "Build things.";
    p.created_at = 1'700'000'000'000;
    p.categories.location = "Oakland, CA";
    return p;
}

} // namespace

TEST_CASE("lever::job_posting names why an edge posting cannot be valid for Google") {
    CHECK(lever::job_posting(valid_posting(), "Acme Climate Inc.").problems.empty());
    struct Edge {
        const char* what;
        lever::Posting posting;
        std::string organization;
    };
    std::vector<Edge> edges;
    edges.push_back({"no content", valid_posting(), "Org"});
    edges.back().posting.content = {};
    edges.push_back({"remote without a country", valid_posting(), "Org"});
    edges.back().posting.workplace_type = "remote";
    edges.back().posting.categories.location = "Remote";
    edges.push_back({"no location", valid_posting(), "Org"});
    edges.back().posting.categories.location = "";
    edges.push_back({"no date", valid_posting(), "Org"});
    edges.back().posting.created_at = 0;
    edges.push_back({"no title", valid_posting(), "Org"});
    edges.back().posting.text = "";
    edges.push_back({"no organization", valid_posting(), ""});
    for (const Edge& edge : edges) {
        CAPTURE(edge.what);
        const lever::JobPostingDocument doc = lever::job_posting(edge.posting, edge.organization);
        CHECK(doc.json.empty());
        CHECK(doc.problems.size() == 1);
    }
    // Remote with a country: TELECOMMUTE with applicantLocationRequirements, valid.
    lever::Posting remote = valid_posting();
    remote.workplace_type = "remote";
    remote.categories.location = "Remote";
    remote.country = "US";
    const lever::JobPostingDocument ok = lever::job_posting(remote, "Org");
    REQUIRE(ok.problems.empty());
    rapidjson::Document doc = parse(ok.json);
    CHECK(std::string(doc["jobLocationType"].GetString()) == "TELECOMMUTE");
    CHECK(std::string(doc["applicantLocationRequirements"]["name"].GetString()) == "US");
    CHECK(std::string(doc["hiringOrganization"]["name"].GetString()) == "Org");
    CHECK(std::string(doc["identifier"]["name"].GetString()) == "Org");
}

TEST_CASE("lever::job_posting writes baseSalary only when Google can take it") {
    struct Case {
        const char* what;
        lever::SalaryRange range;
        bool kept;
    };
    const std::vector<Case> cases = {
        {"valid", {70000, 90000, "EUR", "per-year-salary"}, true},
        {"lower-case code", {70000, 90000, "usd", "per-year-salary"}, true},
        {"no currency", {70000, 90000, "", "per-year-salary"}, false},
        {"not ISO 4217", {70000, 90000, "BTC", "per-year-salary"}, false},
        {"not a code", {70000, 90000, "dollars", "per-year-salary"}, false},
        {"min above max", {90000, 70000, "USD", "per-year-salary"}, false},
        {"negative", {-5, 10, "USD", "per-hour-wage"}, false},
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        lever::Posting posting = valid_posting();
        posting.salary_range = c.range;
        const lever::JobPostingDocument doc = lever::job_posting(posting, "Org");
        REQUIRE(doc.problems.empty()); // the posting itself stays valid
        rapidjson::Document parsed = parse(doc.json);
        CHECK(parsed.HasMember("baseSalary") == c.kept);
        CHECK(doc.omitted.empty() == c.kept);
        if (c.kept) {
            CHECK(std::string(parsed["baseSalary"]["currency"].GetString()).size() == 3);
            CHECK(std::string(parsed["baseSalary"]["currency"].GetString())
                  == (std::string(c.what) == "valid" ? "EUR" : "USD"));
        }
    }
}

TEST_CASE("lever::job_posting keeps salary numbers exact, from the wire to the document") {
    const std::string page = R"({"data":[{"id":"p9","text":"Engineer","state":"published",
        "createdAt":1700000000000,"categories":{"location":"Oakland, CA"},
        "content":{"description":"Build."},
        "salaryRange":{"min":28.123456789012,"max":52.35,"currency":"USD",
                       "interval":"per-hour-wage"}}],"hasNext":false})";
    auto decoded = lever::decode_postings_page(page);
    REQUIRE_MESSAGE(decoded.has_value(), decoded.error().message);
    REQUIRE(decoded->items.size() == 1);
    const lever::JobPostingDocument doc = lever::job_posting(decoded->items[0], "Org");
    REQUIRE(doc.problems.empty());
    CHECK(doc.json.find(R"("minValue":28.123456789012)") != std::string::npos);
    CHECK(doc.json.find(R"("maxValue":52.35,)") != std::string::npos);
}

TEST_CASE("lever::employment_type") {
    CHECK(lever::employment_type("Full-time") == "FULL_TIME");
    CHECK(lever::employment_type("full time") == "FULL_TIME");
    CHECK(lever::employment_type("Part-time") == "PART_TIME");
    CHECK(lever::employment_type("Contract") == "CONTRACTOR");
    CHECK(lever::employment_type("Intern") == "INTERN");
    CHECK(lever::employment_type("Internship") == "INTERN");
    CHECK(lever::employment_type("Temporary") == "TEMPORARY");
    CHECK(lever::employment_type("Volunteer") == "OTHER");
    CHECK(lever::employment_type("").empty());
}

TEST_CASE("lever::salary_unit") {
    CHECK(lever::salary_unit("per-year-salary") == "YEAR");
    CHECK(lever::salary_unit("per-month-salary") == "MONTH");
    CHECK(lever::salary_unit("per-week-salary") == "WEEK");
    CHECK(lever::salary_unit("per-day-wage") == "DAY");
    CHECK(lever::salary_unit("per-hour-wage") == "HOUR");
    CHECK(lever::salary_unit("bi-week-salary").empty());
    CHECK(lever::salary_unit("one-time").empty());
}

TEST_CASE("lever::iso_date") {
    CHECK(lever::iso_date(0) == "1970-01-01");
    CHECK(lever::iso_date(1586891679000) == "2020-04-14");
    CHECK(lever::iso_date(1709251199999) == "2024-02-29"); // leap day, last millisecond
    CHECK(lever::iso_date(-1) == "1969-12-31");
}
