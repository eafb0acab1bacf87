#include "test_model_support.hpp"

#include <pjats/model/record.hpp>

#include <doctest/doctest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <string>
#include <vector>

using pjats::ErrorKind;
using pjats::model::Candidate;
using pjats::model::k_max_record_bytes;
using pjats::model::parse_record;
using pjats::model::validate_for_send;
using namespace pjats::model_test;

namespace {

// A record with meta.purposeJobs.id = "x1" and `basics` as given (JSON object text).
std::string with_basics(const std::string& basics) {
    return R"({"basics":)" + basics + R"(,"meta":{"purposeJobs":{"id":"x1"}}})";
}

pjats::Error parse_error(const std::string& text, const std::string& origin = "rec.json") {
    auto parsed = parse_record(text, origin, "/base");
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().kind == ErrorKind::validation);
    return parsed.error();
}

} // namespace

TEST_CASE("model::parse_record decodes the new-grad fixture field by field") {
    const Candidate c = load_record("new-grad.json");
    CHECK(c.id == "pj-1001");
    CHECK(c.origin == "new-grad.json");
    CHECK(c.name == "Maya Okonkwo");
    CHECK(c.first_name == "Maya");
    CHECK(c.last_name == "Okonkwo");
    CHECK(c.headline == "Computer Science Graduate");
    CHECK(c.email == "maya.okonkwo@example.com");
    CHECK(c.phone == "(206) 555-0142");
    CHECK(c.website == "https://mayaokonkwo.example.com");
    CHECK(c.summary.rfind("Recent computer science graduate", 0) == 0);
    CHECK(c.location.address == "417 Maple Avenue, Apt 6");
    CHECK(c.location.postal_code == "98105");
    CHECK(c.location.city == "Seattle");
    CHECK(c.location.region == "Washington");
    CHECK(c.location.country_code == "US");
    REQUIRE(c.profiles.size() == 2);
    CHECK(c.profiles[0].network == "GitHub");
    CHECK(c.profiles[0].username == "mayaokonkwo");
    CHECK(c.profiles[0].url == "https://github.com/mayaokonkwo");
    CHECK(c.profiles[1].url == "https://www.linkedin.com/in/maya-okonkwo");
    // Every work entry has an end date: the first entry is the current job.
    CHECK(c.company == "Outreach");
    CHECK(c.title == "Software Engineering Intern");
    CHECK(c.skills
          == std::vector<std::string>{
              "Programming Languages", "Web Development", "Data & Infrastructure"});
    CHECK(c.values == std::vector<std::string>{"Mentorship", "Learning culture"});
    // No meta.purposeJobs.interests: interests[].name is used.
    CHECK(c.interests == std::vector<std::string>{"Open Source", "Rock Climbing"});
    REQUIRE(c.salary.has_value());
    CHECK(c.salary->min == doctest::Approx(95000));
    CHECK(c.salary->max == doctest::Approx(120000));
    CHECK(c.salary->currency == "USD");
    CHECK(c.salary->period == "year");
    CHECK(c.resume_url == "https://files.example.com/resumes/pj-1001.pdf");
    CHECK(c.resume_file.empty());
    CHECK(validate_for_send(c).has_value());
}

TEST_CASE("model::parse_record decodes the senior-engineer fixture") {
    const Candidate c = load_record("senior-engineer.json");
    SUBCASE("an integer id becomes its decimal string") {
        CHECK(c.id == "1002");
    }
    SUBCASE("meta.purposeJobs.firstName/lastName override the name split") {
        CHECK(c.name == "Dr. Lena Vasquez");
        CHECK(c.first_name == "Lena");
        CHECK(c.last_name == "Vasquez");
    }
    SUBCASE("the current job is the first entry without an end date") {
        CHECK(c.company == "Confluent");
        CHECK(c.title == "Staff Software Engineer");
    }
    SUBCASE("meta.purposeJobs.interests replaces interests[].name") {
        CHECK(c.interests == std::vector<std::string>{"Climate tech", "Mentoring"});
    }
    SUBCASE("a relative resumeFile is resolved against the base directory") {
        CHECK(c.resume_file == records_dir() + "/files/lena-vasquez.pdf");
        CHECK(std::filesystem::is_regular_file(c.resume_file));
    }
    SUBCASE("absent optional fields stay empty") {
        CHECK(c.resume_url.empty());
        CHECK_FALSE(c.salary.has_value());
    }
}

TEST_CASE("model::parse_record handles the older schema and unknown fields") {
    const Candidate c = load_record("legacy-company.json");
    CHECK(c.id == "pj-2001");
    SUBCASE("names are trimmed and split on whitespace") {
        CHECK(c.name == "Grace   Brewster Hopper");
        CHECK(c.first_name == "Grace Brewster");
        CHECK(c.last_name == "Hopper");
    }
    SUBCASE("work[].company is used and endDate \"present\" means current") {
        CHECK(c.company == "Remington Rand");
        CHECK(c.title == "Director of Automatic Programming");
    }
    SUBCASE("a salary with only a minimum") {
        REQUIRE(c.salary.has_value());
        CHECK(c.salary->min == doctest::Approx(50));
        CHECK_FALSE(c.salary->max.has_value());
        CHECK(c.salary->currency == "EUR");
    }
}

TEST_CASE("model::parse_record reads each reference example once an id is added") {
    for (const char* name :
         {"career-changer.resume.json", "new-grad.resume.json", "senior-engineer.resume.json"}) {
        CAPTURE(name);
        const std::string original = read_text(reference_examples_dir() + "/" + name);
        // The examples carry no Purpose Jobs id, which every record needs.
        auto without_id = parse_record(original, name, "");
        REQUIRE_FALSE(without_id.has_value());
        CHECK(without_id.error().field == "meta.purposeJobs.id");
        CHECK(without_id.error().message
              == std::string(name)
                     + ": meta.purposeJobs.id: missing (every record needs its "
                       "Purpose Jobs id)");

        rapidjson::Document doc = parse_json(original);
        rapidjson::Value purpose_jobs(rapidjson::kObjectType);
        purpose_jobs.AddMember("id", 77, doc.GetAllocator());
        doc["meta"].AddMember("purposeJobs", purpose_jobs, doc.GetAllocator());
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        doc.Accept(writer);
        auto parsed = parse_record(buffer.GetString(), name, "");
        REQUIRE(parsed.has_value());
        CHECK(parsed->id == "77");
        CHECK_FALSE(parsed->first_name.empty());
        CHECK_FALSE(parsed->last_name.empty());
        CHECK_FALSE(parsed->email.empty());
        CHECK_FALSE(parsed->company.empty());
        CHECK(validate_for_send(*parsed).has_value());
    }
}

TEST_CASE("model::parse_record reports type errors with the JSON path") {
    SUBCASE("a number where a string belongs") {
        const auto error = parse_error(read_text(records_dir() + "/malformed/email-number.json"),
                                       "candidates/42.json");
        CHECK(error.message == "candidates/42.json: basics.email: expected a string, got number");
        CHECK(error.field == "basics.email");
    }
    SUBCASE("nested paths name array indexes") {
        const auto error = parse_error(
            with_basics(R"({"name":"A B","profiles":[{"url":"https://x"},{"url":true}]})"));
        CHECK(error.field == "basics.profiles[1].url");
        CHECK(error.message == "rec.json: basics.profiles[1].url: expected a string, got boolean");
    }
    SUBCASE("an object where an array belongs") {
        const auto error =
            parse_error(R"({"work":{"name":"x"},"meta":{"purposeJobs":{"id":"x1"}}})");
        CHECK(error.field == "work");
        CHECK(error.message == "rec.json: work: expected an array, got object");
    }
    SUBCASE("every problem is reported, the first in the message") {
        const auto error =
            parse_error(read_text(records_dir() + "/malformed/several-problems.json"));
        CHECK(error.field == "basics.name");
        CHECK(error.detail.find("basics.profiles[0]: expected an object, got string")
              != std::string::npos);
        CHECK(error.detail.find("work: expected an array, got object") != std::string::npos);
        CHECK(error.detail.find("meta.purposeJobs.id: expected a string or an integer")
              != std::string::npos);
        CHECK(error.detail.find("meta.purposeJobs.values: expected an array, got string")
              != std::string::npos);
    }
    SUBCASE("salary checks") {
        const auto error =
            parse_error(R"({"meta":{"purposeJobs":{"id":"x1","salary":{"min":"100","max":-1}}}})");
        CHECK(error.field == "meta.purposeJobs.salary.min");
        CHECK(error.detail.find("meta.purposeJobs.salary.max: must not be negative")
              != std::string::npos);
        const auto reversed =
            parse_error(R"({"meta":{"purposeJobs":{"id":"x1","salary":{"min":10,"max":5}}}})");
        CHECK(reversed.message == "rec.json: meta.purposeJobs.salary: min is greater than max");
    }
    SUBCASE("resumeUrl must be an http(s) URL") {
        const auto error =
            parse_error(R"({"meta":{"purposeJobs":{"id":"x1","resumeUrl":"file:///etc/passwd"}}})");
        CHECK(error.field == "meta.purposeJobs.resumeUrl");
    }
    SUBCASE("exportedBy must be an e-mail address") {
        for (const char* bad : {"grace at acme", "@acme.example", "a@b", "a@@b.c", "a b@c.d"}) {
            CAPTURE(bad);
            const std::string record =
                std::string(R"({"meta":{"purposeJobs":{"id":"x1","exportedBy":")") + bad + "\"}}}";
            CHECK(parse_error(record).field == "meta.purposeJobs.exportedBy");
        }
        auto good = parse_record(
            R"({"basics":{"name":"A B"},"meta":{"purposeJobs":{"id":"x1","exportedBy":"grace.hopper@acme.example"}}})",
            "r", "");
        REQUIRE(good);
        CHECK(good->exported_by == "grace.hopper@acme.example");
    }
}

TEST_CASE("model::parse_record checks the Purpose Jobs id") {
    SUBCASE("missing") {
        const auto error = parse_error(read_text(records_dir() + "/malformed/missing-id.json"));
        CHECK(error.field == "meta.purposeJobs.id");
    }
    SUBCASE("missing meta entirely") {
        CHECK(parse_error(R"({"basics":{"name":"A B"}})").field == "meta.purposeJobs.id");
    }
    SUBCASE("a path traversal attempt") {
        const auto error = parse_error(read_text(records_dir() + "/malformed/id-traversal.json"));
        CHECK(error.field == "meta.purposeJobs.id");
        CHECK(error.message.find("A-Z a-z 0-9") != std::string::npos);
    }
    SUBCASE("empty, fractional, boolean") {
        CHECK(parse_error(R"({"meta":{"purposeJobs":{"id":"  "}}})").message
              == "rec.json: meta.purposeJobs.id: is empty");
        CHECK(parse_error(R"({"meta":{"purposeJobs":{"id":1.5}}})").message
              == "rec.json: meta.purposeJobs.id: expected a string or an integer, got a "
                 "non-integer number");
        CHECK(parse_error(R"({"meta":{"purposeJobs":{"id":true}}})").message
              == "rec.json: meta.purposeJobs.id: expected a string or an integer, got boolean");
        CHECK(parse_error(R"({"meta":{"purposeJobs":{"id":"a/b"}}})").field
              == "meta.purposeJobs.id");
        CHECK(parse_error(R"({"meta":{"purposeJobs":{"id":".."}}})").field
              == "meta.purposeJobs.id");
    }
    SUBCASE("large and negative integers") {
        auto big = parse_record(R"({"meta":{"purposeJobs":{"id":18446744073709551615}}})", "r", "");
        REQUIRE(big.has_value());
        CHECK(big->id == "18446744073709551615");
        auto negative = parse_record(R"({"meta":{"purposeJobs":{"id":-3}}})", "r", "");
        REQUIRE(negative.has_value());
        CHECK(negative->id == "-3");
    }
    SUBCASE("whitespace around a string id is trimmed") {
        auto parsed = parse_record(R"({"meta":{"purposeJobs":{"id":" 42 "}}})", "r", "");
        REQUIRE(parsed.has_value());
        CHECK(parsed->id == "42");
    }
}

TEST_CASE("model::parse_record rejects input that is not a JSON object") {
    SUBCASE("truncated JSON names the offset") {
        const auto error = parse_error(read_text(records_dir() + "/malformed/truncated.json"),
                                       "candidates/7.json");
        CHECK(error.message.rfind("candidates/7.json: invalid JSON at offset ", 0) == 0);
    }
    SUBCASE("empty input") {
        CHECK(parse_error("").message.rfind("rec.json: invalid JSON at offset 0 (line 1, column 1): ", 0)
              == 0);
    }
    SUBCASE("a syntax error names its line and column") {
        // The missing comma is after "x1"} on line 3; the column counts characters ("é").
        const std::string text = "{\n  \"basics\": {\"name\": \"Zoé Ada\"}\n  \"meta\": {}\n}";
        const auto error = parse_error(text);
        CHECK(error.message.find("invalid JSON at offset 37 (line 3, column 3): ") != std::string::npos);
    }
    SUBCASE("trailing garbage") {
        CHECK(parse_error(R"({"meta":{}} x)").message.find("invalid JSON") != std::string::npos);
    }
    SUBCASE("an array at the top level") {
        const auto error = parse_error(read_text(records_dir() + "/malformed/array-root.json"));
        CHECK(error.message
              == "rec.json: expected a JSON Resume object at the top level, got array");
    }
    SUBCASE("invalid UTF-8") {
        const std::string text =
            "{\"basics\":{\"name\":\"Ada \xC3\x28\"},\"meta\":{\"purposeJobs\":{\"id\":\"x1\"}}}";
        const auto error = parse_error(text);
        CHECK(error.message.find("invalid JSON at offset") != std::string::npos);
        CHECK(error.message.find("encoding") != std::string::npos);
    }
    SUBCASE("a raw NUL byte") {
        std::string text = with_basics(R"({"name":"Ada Lovelace"})");
        text.insert(3, 1, '\0');
        CHECK(parse_error(text).message
              == "rec.json: invalid JSON at offset 3 (line 1, column 4): NUL byte in input");
    }
    SUBCASE("a NUL byte after the document is not ignored") {
        std::string text = with_basics(R"({"name":"Ada Lovelace"})");
        text += std::string(1, '\0') + "garbage";
        CHECK(parse_error(text).message.find("NUL byte") != std::string::npos);
    }
    SUBCASE("an escaped NUL inside a string names the field") {
        const auto error = parse_error(with_basics(R"({"name":"Ada\u0000Lovelace"})"));
        CHECK(error.field == "basics.name");
        CHECK(error.message == "rec.json: basics.name: contains a NUL character");
    }
    SUBCASE("100000 levels of nesting fail cleanly") {
        const std::string deep = std::string(100000, '[') + std::string(100000, ']');
        const auto error = parse_error(R"({"x":)" + deep + "}");
        CHECK(error.message.find("nesting deeper than") != std::string::npos);
        const auto objects = parse_error(std::string(100000, '{'));
        CHECK(objects.message.find("invalid JSON") != std::string::npos);
    }
    SUBCASE("brackets inside strings do not count as nesting") {
        const std::string name = std::string(1000, '[') + " \\\" " + std::string(1000, '{');
        auto parsed = parse_record(with_basics(R"({"name":")" + name + R"( X"})"), "rec.json", "");
        REQUIRE(parsed.has_value());
        CHECK(parsed->last_name == "X");
    }
    SUBCASE("input larger than the limit") {
        std::string text = with_basics(R"({"name":"Ada Lovelace"})");
        text.insert(1, R"("pad":")" + std::string(k_max_record_bytes, 'a') + R"(",)");
        const auto error = parse_error(text);
        CHECK(error.message.find("larger than the limit") != std::string::npos);
    }
}

TEST_CASE("model::parse_record treats null as absent and ignores unknown fields") {
    auto parsed = parse_record(
        R"({"basics":{"name":"Ada Lovelace","email":null,"location":null,"x":{"y":1}},
            "work":[{"name":"A","endDate":null}],"skills":null,
            "meta":{"purposeJobs":{"id":"x1","salary":null,"values":["a",null," b "]}}})",
        "r",
        "");
    REQUIRE(parsed.has_value());
    CHECK(parsed->email.empty());
    CHECK(parsed->location.empty());
    CHECK(parsed->company == "A");
    CHECK(parsed->values == std::vector<std::string>{"a", "b"});
    CHECK_FALSE(parsed->salary.has_value());
}

namespace {

// A record naming `resume_file` (a JSON string literal's content) as its résumé.
std::string with_resume_file(const std::string& resume_file) {
    return R"({"meta":{"purposeJobs":{"id":"x1","resumeFile":")" + resume_file + R"("}}})";
}

// Checks that parsing refuses the résumé file with a message that does not echo it.
void check_resume_refused(const std::string& resume_file,
                          const std::string& base_dir,
                          const std::string& root_dir) {
    auto parsed = parse_record(with_resume_file(resume_file), "r.json", base_dir, root_dir);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().kind == ErrorKind::validation);
    CHECK(parsed.error().field == "meta.purposeJobs.resumeFile");
    CHECK(parsed.error().message.rfind("r.json: meta.purposeJobs.resumeFile: ", 0) == 0);
    if (resume_file.size() > 2) {
        CHECK(parsed.error().message.find(resume_file) == std::string::npos);
    }
}

} // namespace

TEST_CASE("model::parse_record confines resumeFile to the record's folder") {
    ScratchDir dir;
    const std::filesystem::path base = dir.path() / "export" / "candidates";
    const std::filesystem::path root = dir.path() / "export";
    write_text(base / "cv.pdf", "%PDF-1.4 ok");
    write_text(base / "files" / "nested" / "cv.pdf", "%PDF-1.4 nested");
    write_text(root / "shared" / "cv.pdf", "%PDF-1.4 shared");
    write_text(dir.path() / "secret" / "id_rsa", "-----BEGIN PRIVATE KEY-----");
    std::filesystem::create_symlink(dir.path() / "secret" / "id_rsa", base / "link.pdf");
    std::filesystem::create_symlink(dir.path() / "secret", base / "linkdir");
    std::filesystem::create_symlink(base / "cv.pdf", base / "inside-link.pdf");
    std::filesystem::create_symlink(dir.path() / "secret" / "future", base / "dangling.pdf");
    std::filesystem::create_directories(base / "folder.pdf");

    SUBCASE("a relative file next to the record") {
        auto parsed = parse_record(with_resume_file("cv.pdf"), "r", base.string());
        REQUIRE(parsed.has_value());
        CHECK(parsed->resume_file == (base / "cv.pdf").string());
    }
    SUBCASE("a nested file, also through ./ and ..") {
        auto parsed =
            parse_record(with_resume_file("./files/x/../nested/cv.pdf"), "r", base.string());
        REQUIRE(parsed.has_value());
        CHECK(parsed->resume_file == (base / "files" / "nested" / "cv.pdf").string());
    }
    SUBCASE("a symbolic link that stays inside resolves to its target") {
        auto parsed = parse_record(with_resume_file("inside-link.pdf"), "r", base.string());
        REQUIRE(parsed.has_value());
        CHECK(parsed->resume_file == (base / "cv.pdf").string());
    }
    SUBCASE("an absolute path that points inside is accepted") {
        auto parsed =
            parse_record(with_resume_file((base / "cv.pdf").string()), "r", base.string());
        REQUIRE(parsed.has_value());
        CHECK(parsed->resume_file == (base / "cv.pdf").string());
    }
    SUBCASE("a file that does not exist yet is left to the upload to report") {
        auto parsed = parse_record(with_resume_file("later.pdf"), "r", base.string());
        REQUIRE(parsed.has_value());
        CHECK(parsed->resume_file == (base / "later.pdf").string());
    }
    SUBCASE("with a wider root, ../ may reach a sibling folder inside it") {
        auto parsed =
            parse_record(with_resume_file("../shared/cv.pdf"), "r", base.string(), root.string());
        REQUIRE(parsed.has_value());
        CHECK(parsed->resume_file == (root / "shared" / "cv.pdf").string());
        check_resume_refused("../../secret/id_rsa", base.string(), root.string());
    }
    SUBCASE("an absolute path outside") {
        check_resume_refused((dir.path() / "secret" / "id_rsa").string(), base.string(), "");
        check_resume_refused("/etc/passwd", base.string(), "");
    }
    SUBCASE("a ../ escape") {
        check_resume_refused("../../secret/id_rsa", base.string(), "");
        check_resume_refused("files/../../cv.pdf", base.string(), "");
        check_resume_refused("../candidates-x/cv.pdf", base.string(), "");
    }
    SUBCASE("a symbolic link inside pointing outside") {
        check_resume_refused("link.pdf", base.string(), "");
        check_resume_refused("linkdir/id_rsa", base.string(), "");
        check_resume_refused("dangling.pdf", base.string(), "");
    }
    SUBCASE("the folder itself, or a folder inside") {
        check_resume_refused(".", base.string(), "");
        check_resume_refused("folder.pdf", base.string(), "");
    }
    SUBCASE("a record without a local folder (url source) may not name a file") {
        check_resume_refused("cv.pdf", "", "");
        auto parsed = parse_record(with_resume_file("cv.pdf"), "r.json", "");
        REQUIRE_FALSE(parsed.has_value());
        CHECK(parsed.error().message.find("resumeUrl") != std::string::npos);
    }
    SUBCASE("every problem is collected with the others") {
        auto parsed = parse_record(
            R"({"basics":{"email":7},"meta":{"purposeJobs":{"id":"x1","resumeFile":"/etc/passwd"}}})",
            "r.json",
            base.string());
        REQUIRE_FALSE(parsed.has_value());
        CHECK(parsed.error().detail.find("meta.purposeJobs.resumeFile") != std::string::npos);
    }
}

TEST_CASE("model::validate_for_send") {
    SUBCASE("a complete record passes") {
        CHECK(validate_for_send(load_record("minimal.json")).has_value());
    }
    SUBCASE("a one-word name without firstName/lastName") {
        const Candidate c = load_record("malformed/one-word-name.json");
        CHECK(c.last_name == "Cher");
        CHECK(c.first_name.empty());
        const auto status = validate_for_send(c);
        REQUIRE_FALSE(status.has_value());
        CHECK(status.error().kind == ErrorKind::validation);
        CHECK(status.error().field == "basics.name");
        CHECK(status.error().message.rfind("malformed/one-word-name.json: basics.name: ", 0) == 0);
        CHECK(status.error().message.find("meta.purposeJobs.firstName") != std::string::npos);
        CHECK(status.error().message.find("meta.purposeJobs.lastName") != std::string::npos);
        // The candidate's name is PII and stays out of the message.
        CHECK(status.error().message.find("Cher") == std::string::npos);
    }
    SUBCASE("a one-word name with firstName/lastName passes") {
        auto parsed = parse_record(
            R"({"basics":{"name":"Cher"},"meta":{"purposeJobs":{"id":"x1","firstName":"Cherilyn","lastName":"Sarkisian"}}})",
            "r",
            "");
        REQUIRE(parsed.has_value());
        CHECK(parsed->first_name == "Cherilyn");
        CHECK(parsed->last_name == "Sarkisian");
        CHECK(validate_for_send(*parsed).has_value());
    }
    SUBCASE("no name at all") {
        auto parsed = parse_record(R"({"meta":{"purposeJobs":{"id":"x1"}}})", "r", "");
        REQUIRE(parsed.has_value());
        const auto status = validate_for_send(*parsed);
        REQUIRE_FALSE(status.has_value());
        CHECK(status.error().field == "basics.name");
    }
    SUBCASE("firstName/lastName alone make the name") {
        auto parsed = parse_record(
            R"({"meta":{"purposeJobs":{"id":"x1","firstName":"Ada","lastName":"Lovelace"}}})",
            "r",
            "");
        REQUIRE(parsed.has_value());
        CHECK(parsed->name == "Ada Lovelace");
        CHECK(validate_for_send(*parsed).has_value());
    }
    SUBCASE("a candidate without an id") {
        Candidate c;
        c.first_name = "Ada";
        c.last_name = "Lovelace";
        const auto status = validate_for_send(c);
        REQUIRE_FALSE(status.has_value());
        CHECK(status.error().field == "meta.purposeJobs.id");
    }
}
