#include "test_model_support.hpp"

#include <pjats/lever/mapping.hpp>

#include <doctest/doctest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using pjats::http::FormPart;
using pjats::lever::has_resume_file;
using pjats::lever::is_valid_origin;
using pjats::lever::opportunity_form;
using pjats::lever::opportunity_json;
using pjats::lever::OpportunityOptions;
using pjats::lever::resume_content_type;
using pjats::model::Candidate;
using namespace pjats::model_test;

namespace {

std::set<std::string> keys_of(const rapidjson::Value& object) {
    std::set<std::string> keys;
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
        keys.insert(it->name.GetString());
    }
    return keys;
}

std::vector<std::string> strings_of(const rapidjson::Value& body, const char* key) {
    CAPTURE(key);
    REQUIRE(body.HasMember(key));
    REQUIRE(body[key].IsArray());
    std::vector<std::string> out;
    for (const auto& item : body[key].GetArray()) {
        REQUIRE(item.IsString());
        out.emplace_back(item.GetString());
    }
    return out;
}

// (name, value) of each plain part, in order; file parts as (name, "@" + filename).
std::vector<std::pair<std::string, std::string>> plain_parts(const std::vector<FormPart>& form) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const FormPart& part : form) {
        out.emplace_back(part.name, part.file_path.empty() ? part.value : "@" + part.filename);
    }
    return out;
}

} // namespace

TEST_CASE("lever::opportunity_json maps new-grad field by field") {
    const Candidate c = load_record("new-grad.json");
    const rapidjson::Document body = parse_json(opportunity_json(c, {}));
    REQUIRE(body.IsObject());
    CHECK(keys_of(body)
          == std::set<std::string>{"name",
                                   "headline",
                                   "location",
                                   "emails",
                                   "phones",
                                   "links",
                                   "tags",
                                   "sources",
                                   "origin"});
    CHECK(string_member(body, "name") == "Maya Okonkwo");
    CHECK(string_member(body, "headline") == "Computer Science Graduate");
    CHECK(string_member(body, "location") == "Seattle, Washington, US");
    CHECK(strings_of(body, "emails") == std::vector<std::string>{"maya.okonkwo@example.com"});
    REQUIRE(body["phones"].IsArray());
    REQUIRE(body["phones"].Size() == 1);
    CHECK(keys_of(body["phones"][0]) == std::set<std::string>{"value", "type"});
    CHECK(string_member(body["phones"][0], "value") == "(206) 555-0142");
    CHECK(string_member(body["phones"][0], "type") == "mobile");
    CHECK(strings_of(body, "links")
          == std::vector<std::string>{"https://mayaokonkwo.example.com",
                                      "https://github.com/mayaokonkwo",
                                      "https://www.linkedin.com/in/maya-okonkwo"});
    CHECK(strings_of(body, "tags") == std::vector<std::string>{"Purpose Jobs"});
    CHECK(strings_of(body, "sources") == std::vector<std::string>{"Purpose Jobs"});
    CHECK(string_member(body, "origin") == "sourced");
    // No stage: Lever files the opportunity under New lead.
    CHECK_FALSE(body.HasMember("stage"));
    CHECK_FALSE(body.HasMember("postings"));
}

TEST_CASE("lever::opportunity_json with a posting, applied origin and extra tags") {
    const Candidate c = load_record("senior-engineer.json");
    OpportunityOptions options;
    options.posting_id = "730e37db-93d3-4acf-b9de-7cfc397cef1d";
    options.origin = "applied";
    options.tags = {"Backend", "Purpose Jobs", " Backend ", "", "Referral"};
    const rapidjson::Document body = parse_json(opportunity_json(c, options));
    CHECK(strings_of(body, "postings")
          == std::vector<std::string>{"730e37db-93d3-4acf-b9de-7cfc397cef1d"});
    CHECK(string_member(body, "origin") == "applied");
    CHECK(strings_of(body, "tags")
          == std::vector<std::string>{"Purpose Jobs", "Backend", "Referral"});
    CHECK(string_member(body, "name") == "Dr. Lena Vasquez");
    CHECK(strings_of(body, "links").size() == 4);
}

TEST_CASE("lever::opportunity_json headline falls back to the current job") {
    Candidate c = load_record("legacy-company.json");
    CHECK(string_member(parse_json(opportunity_json(c, {})), "headline")
          == "Director of Automatic Programming at Remington Rand");
    c.company.clear();
    CHECK(string_member(parse_json(opportunity_json(c, {})), "headline")
          == "Director of Automatic Programming");
    c.title.clear();
    c.company = "Remington Rand";
    CHECK(string_member(parse_json(opportunity_json(c, {})), "headline") == "Remington Rand");
}

TEST_CASE("lever::opportunity_json omits empty fields") {
    const Candidate c = load_record("minimal.json");
    const rapidjson::Document body = parse_json(opportunity_json(c, {}));
    CHECK(keys_of(body) == std::set<std::string>{"name", "tags", "sources", "origin"});
    OpportunityOptions no_origin;
    no_origin.origin.clear();
    CHECK_FALSE(parse_json(opportunity_json(c, no_origin)).HasMember("origin"));
}

TEST_CASE("lever::is_valid_origin") {
    for (const char* origin :
         {"agency", "applied", "internal", "referred", "sourced", "university"}) {
        CHECK(is_valid_origin(origin));
    }
    CHECK_FALSE(is_valid_origin("Sourced"));
    CHECK_FALSE(is_valid_origin(""));
    OpportunityOptions options;
    options.origin = "linkedin";
    CHECK_THROWS_AS(opportunity_json(Candidate{}, options), std::invalid_argument);
    CHECK_THROWS_AS(opportunity_form(Candidate{}, options), std::invalid_argument);
}

TEST_CASE("lever::opportunity_form with a resume file") {
    const Candidate c = load_record("senior-engineer.json");
    REQUIRE(has_resume_file(c));
    OpportunityOptions options;
    options.posting_id = "p-1";
    options.tags = {"Backend"};
    const std::vector<FormPart> form = opportunity_form(c, options);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"name", "Dr. Lena Vasquez"},
        {"headline", "Staff Software Engineer, Distributed Systems"},
        {"location", "San Francisco, California, US"},
        {"emails[]", "lena.vasquez@example.com"},
        {"phones[]", "(415) 555-0117"},
        {"links[]", "https://lenavasquez.example.com"},
        {"links[]", "https://github.com/lvasquez"},
        {"links[]", "https://hachyderm.io/@lena"},
        {"links[]", "https://www.linkedin.com/in/lena-vasquez-eng"},
        {"tags[]", "Purpose Jobs"},
        {"tags[]", "Backend"},
        {"sources[]", "Purpose Jobs"},
        {"origin", "sourced"},
        {"postings[]", "p-1"},
        {"resumeFile", "@lena-vasquez.pdf"},
    };
    CHECK(plain_parts(form) == expected);
    const FormPart& file = form.back();
    CHECK(file.file_path == records_dir() + "/files/lena-vasquez.pdf");
    CHECK(file.content_type == "application/pdf");
    CHECK(file.value.empty());
    for (std::size_t i = 0; i + 1 < form.size(); ++i) {
        CHECK(form[i].file_path.empty());
    }
}

TEST_CASE("lever::opportunity_form without a resume file has no file part") {
    const Candidate c = load_record("new-grad.json");
    CHECK_FALSE(has_resume_file(c));
    for (const FormPart& part : opportunity_form(c, {})) {
        CHECK(part.name != "resumeFile");
        CHECK(part.file_path.empty());
        // parse=true belongs in the query string, not the form.
        CHECK(part.name != "parse");
    }
}

TEST_CASE("lever::has_resume_file") {
    Candidate c;
    CHECK_FALSE(has_resume_file(c));
    c.resume_file = records_dir() + "/files/missing.pdf";
    CHECK_FALSE(has_resume_file(c));
    c.resume_file = records_dir() + "/files";
    CHECK_FALSE(has_resume_file(c));
    c.resume_file = records_dir() + "/files/lena-vasquez.pdf";
    CHECK(has_resume_file(c));
}

TEST_CASE("lever::resume_content_type") {
    CHECK(resume_content_type("cv.pdf") == "application/pdf");
    CHECK(resume_content_type("CV.PDF") == "application/pdf");
    CHECK(resume_content_type("cv.doc") == "application/msword");
    CHECK(resume_content_type("cv.docx")
          == "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    CHECK(resume_content_type("cv.txt") == "text/plain");
    CHECK(resume_content_type("cv.rtf") == "application/rtf");
    CHECK(resume_content_type("cv.odt") == "application/vnd.oasis.opendocument.text");
    CHECK(resume_content_type("cv.png") == "application/octet-stream");
    CHECK(resume_content_type("cv") == "application/octet-stream");
    CHECK(resume_content_type("archive.pdf.zip") == "application/octet-stream");
}
