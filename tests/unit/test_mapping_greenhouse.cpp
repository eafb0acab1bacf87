#include "test_model_support.hpp"

#include <pjats/greenhouse/mapping.hpp>

#include <doctest/doctest.h>

#include <set>
#include <string>

using pjats::greenhouse::candidate_body;
using pjats::greenhouse::candidate_notes;
using pjats::greenhouse::CandidateOptions;
using pjats::greenhouse::name_parts;
using pjats::greenhouse::NameParts;
using pjats::model::Candidate;
using namespace pjats::model_test;

namespace {

// Request fields documented for POST /v1/partner/candidates.
const std::set<std::string> k_documented = {"prospect",
                                            "job_id",
                                            "first_name",
                                            "last_name",
                                            "external_id",
                                            "company",
                                            "title",
                                            "resume",
                                            "phone_numbers",
                                            "emails",
                                            "addresses",
                                            "social_media",
                                            "websites",
                                            "referrer",
                                            "notes",
                                            "prospect_pool_id",
                                            "prospect_pool_stage_id",
                                            "prospect_owner_email"};

std::set<std::string> keys_of(const rapidjson::Value& object) {
    std::set<std::string> keys;
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
        keys.insert(it->name.GetString());
    }
    return keys;
}

// Checks that `array` holds exactly one {value_key: value, "type": type} object.
void check_typed_single(const rapidjson::Value& body,
                        const char* name,
                        const char* value_key,
                        const std::string& value,
                        const char* type) {
    CAPTURE(name);
    REQUIRE(body.HasMember(name));
    const rapidjson::Value& array = body[name];
    REQUIRE(array.IsArray());
    REQUIRE(array.Size() == 1);
    CHECK(keys_of(array[0]) == std::set<std::string>{value_key, "type"});
    CHECK(string_member(array[0], value_key) == value);
    CHECK(string_member(array[0], "type") == type);
}

} // namespace

TEST_CASE("greenhouse::candidate_body maps new-grad as a prospect without a pool") {
    const Candidate c = load_record("new-grad.json");
    const rapidjson::Document body = parse_json(candidate_body(c, {}));
    REQUIRE(body.IsObject());

    CHECK(keys_of(body)
          == std::set<std::string>{"first_name",
                                   "last_name",
                                   "external_id",
                                   "prospect",
                                   "company",
                                   "title",
                                   "resume",
                                   "emails",
                                   "phone_numbers",
                                   "addresses",
                                   "websites",
                                   "social_media",
                                   "notes"});
    CHECK(string_member(body, "first_name") == "Maya");
    CHECK(string_member(body, "last_name") == "Okonkwo");
    CHECK(string_member(body, "external_id") == "pj-1001");
    REQUIRE(body["prospect"].IsBool());
    CHECK(body["prospect"].GetBool() == true);
    CHECK_FALSE(body.HasMember("job_id"));
    CHECK_FALSE(body.HasMember("prospect_pool_id"));
    CHECK(string_member(body, "company") == "Outreach");
    CHECK(string_member(body, "title") == "Software Engineering Intern");
    CHECK(string_member(body, "resume") == "https://files.example.com/resumes/pj-1001.pdf");
    check_typed_single(body, "emails", "email", "maya.okonkwo@example.com", "personal");
    check_typed_single(body, "phone_numbers", "phone_number", "(206) 555-0142", "mobile");
    check_typed_single(body,
                       "addresses",
                       "address",
                       "417 Maple Avenue, Apt 6, Seattle, Washington 98105, US",
                       "home");
    check_typed_single(body, "websites", "url", "https://mayaokonkwo.example.com", "personal");

    const rapidjson::Value& social = body["social_media"];
    REQUIRE(social.IsArray());
    REQUIRE(social.Size() == 2);
    CHECK(keys_of(social[0]) == std::set<std::string>{"url"});
    CHECK(string_member(social[0], "url") == "https://github.com/mayaokonkwo");
    CHECK(string_member(social[1], "url") == "https://www.linkedin.com/in/maya-okonkwo");

    const std::string notes = string_member(body, "notes");
    CHECK(notes.rfind("Headline: Computer Science Graduate\nSummary: Recent computer science", 0)
          == 0);
    CHECK(notes.find("\nSkills:\n"
                     "- Programming Languages (Intermediate): Python, TypeScript, Java, Go, SQL\n"
                     "- Web Development (Intermediate): React, Next.js, Node.js, REST APIs\n"
                     "- Data & Infrastructure (Beginner): PostgreSQL, Docker, Git, AWS\n")
          != std::string::npos);
    CHECK(notes.find("\nValues: Mentorship, Learning culture\n") != std::string::npos);
    CHECK(notes.find("\nInterests: Open Source, Rock Climbing\n") != std::string::npos);
    CHECK(notes.find("\nSalary: 95000-120000 USD per year\n") != std::string::npos);
    CHECK(notes.size() >= std::string("\nPurpose Jobs profile: pj-1001").size());
    CHECK(notes.substr(notes.size() - std::string("\nPurpose Jobs profile: pj-1001").size())
          == "\nPurpose Jobs profile: pj-1001");
}

TEST_CASE("greenhouse::candidate_body with a job is a candidate on that job") {
    const Candidate c = load_record("senior-engineer.json");
    CandidateOptions options;
    options.job_id = 4012345678;
    const rapidjson::Document body = parse_json(candidate_body(c, options));

    REQUIRE(body["prospect"].IsBool());
    CHECK(body["prospect"].GetBool() == false);
    REQUIRE(body.HasMember("job_id"));
    REQUIRE(body["job_id"].IsInt64());
    CHECK(body["job_id"].GetInt64() == 4012345678);
    REQUIRE(body["external_id"].IsString());
    CHECK(string_member(body, "external_id") == "1002");
    CHECK(string_member(body, "first_name") == "Lena");
    CHECK(string_member(body, "last_name") == "Vasquez");
    CHECK(string_member(body, "company") == "Confluent");
    CHECK(string_member(body, "title") == "Staff Software Engineer");
    // A local resume file cannot be sent: Greenhouse takes resumes by URL only.
    CHECK_FALSE(body.HasMember("resume"));
    REQUIRE(body["social_media"].IsArray());
    CHECK(body["social_media"].Size() == 3);
    const std::string notes = string_member(body, "notes");
    CHECK(notes.find("Interests: Climate tech, Mentoring") != std::string::npos);
    CHECK(notes.find("Values: Sustainability, Open source") != std::string::npos);
    CHECK(notes.find("Salary:") == std::string::npos);
    for (const auto& key : keys_of(body)) {
        CAPTURE(key);
        CHECK(k_documented.count(key) == 1);
    }
}

TEST_CASE("greenhouse::candidate_body omits empty fields") {
    const Candidate c = load_record("minimal.json");
    const rapidjson::Document body = parse_json(candidate_body(c, {}));
    CHECK(keys_of(body)
          == std::set<std::string>{"first_name", "last_name", "external_id", "prospect", "notes"});
    CHECK(string_member(body, "notes") == "Purpose Jobs profile: pj-2000");
}

TEST_CASE("greenhouse::candidate_body for every fixture uses documented fields only") {
    for (const char* name : {"new-grad.json",
                             "senior-engineer.json",
                             "career-changer.json",
                             "legacy-company.json",
                             "minimal.json"}) {
        CAPTURE(name);
        const Candidate c = load_record(name);
        for (const bool with_job : {false, true}) {
            CandidateOptions options;
            if (with_job) {
                options.job_id = 7;
            }
            const rapidjson::Document body = parse_json(candidate_body(c, options));
            for (const auto& key : keys_of(body)) {
                CAPTURE(key);
                CHECK(k_documented.count(key) == 1);
                CHECK_FALSE(body[key.c_str()].IsNull());
            }
            CHECK(body["external_id"].IsString());
            CHECK(body["prospect"].IsBool());
            CHECK(body.HasMember("job_id") == with_job);
        }
    }
}

TEST_CASE("greenhouse::candidate_body maps the career-changer and legacy fixtures") {
    SUBCASE("career-changer: all jobs ended, so work[0] is current") {
        const rapidjson::Document body =
            parse_json(candidate_body(load_record("career-changer.json"), {}));
        CHECK(string_member(body, "company") == "Freelance");
        CHECK(string_member(body, "title") == "Data Analyst (Contract)");
        CHECK(string_member(body, "first_name") == "Daniel");
        CHECK(string_member(body, "last_name") == "Reyes");
        CHECK_FALSE(body.HasMember("resume"));
    }
    SUBCASE("legacy: company, partial address, minimum-only salary") {
        const rapidjson::Document body =
            parse_json(candidate_body(load_record("legacy-company.json"), {}));
        CHECK(string_member(body, "company") == "Remington Rand");
        check_typed_single(body, "addresses", "address", "Arlington, Virginia, US", "home");
        CHECK_FALSE(body.HasMember("phone_numbers"));
        CHECK_FALSE(body.HasMember("websites"));
        CHECK_FALSE(body.HasMember("social_media"));
        CHECK(string_member(body, "notes")
              == "Skills: Compilers, COBOL\nSalary: from 50 EUR per hour\n"
                 "Experience:\n"
                 "- Senior Mathematician, Eckert-Mauchly, 1949-01-01 to 1952-01-01\n"
                 "- Director of Automatic Programming, Remington Rand, 1952-01-01 to present\n"
                 "Purpose Jobs profile: pj-2001");
    }
}

TEST_CASE("greenhouse::candidate_body: a one-word or unsplittable name gets the placeholder") {
    for (const char* name : {"Zendaya", "郭海旭"}) {
        Candidate c;
        c.id = "x1";
        c.name = name;
        c.first_name = name;
        const rapidjson::Document body = parse_json(candidate_body(c, {}));
        CHECK(string_member(body, "first_name") == name);
        CHECK(string_member(body, "last_name") == "(single name)");
    }
    Candidate last_only;
    last_only.id = "x2";
    last_only.last_name = "Hopper";
    const NameParts parts = name_parts(last_only);
    CHECK(parts.first == "Hopper");
    CHECK(parts.last == "(single name)");
    Candidate both;
    both.first_name = "Grace";
    both.last_name = "Hopper";
    CHECK(name_parts(both).first == "Grace");
    CHECK(name_parts(both).last == "Hopper");
}

TEST_CASE("greenhouse::candidate_body escapes text safely") {
    Candidate c;
    c.id = "x1";
    c.first_name = "Zoë \"Z\"";
    c.last_name = "O'Brien\\Smith";
    c.summary = "line one\nline two\ttab";
    const rapidjson::Document body = parse_json(candidate_body(c, {}));
    CHECK(string_member(body, "first_name") == "Zoë \"Z\"");
    CHECK(string_member(body, "last_name") == "O'Brien\\Smith");
    CHECK(string_member(body, "notes")
          == "Summary: line one\nline two\ttab\n"
             "Purpose Jobs profile: x1");
    CHECK(candidate_notes(Candidate{}).empty());
}

TEST_CASE("greenhouse::candidate_body puts a prospect in a pool, stage and owner") {
    const Candidate c = load_record("minimal.json");
    CandidateOptions options;
    options.pool_id = 456;
    options.pool_stage_id = 1963;
    options.prospect_owner_email = "grace.hopper@acme.example";
    const rapidjson::Document body = parse_json(candidate_body(c, options));
    CHECK(body["prospect"].GetBool() == true);
    CHECK(body["prospect_pool_id"].GetInt64() == 456);
    CHECK(body["prospect_pool_stage_id"].GetInt64() == 1963);
    CHECK(string_member(body, "prospect_owner_email") == "grace.hopper@acme.example");

    SUBCASE("a stage without a pool is not sent (Greenhouse requires the pool with it)") {
        options.pool_id.reset();
        const rapidjson::Document alone = parse_json(candidate_body(c, options));
        CHECK_FALSE(alone.HasMember("prospect_pool_stage_id"));
    }
    SUBCASE("a candidate on a job gets no prospect fields") {
        options.job_id = 4690;
        const rapidjson::Document on_job = parse_json(candidate_body(c, options));
        CHECK_FALSE(on_job.HasMember("prospect_pool_id"));
        CHECK_FALSE(on_job.HasMember("prospect_pool_stage_id"));
        CHECK_FALSE(on_job.HasMember("prospect_owner_email"));
    }
}
