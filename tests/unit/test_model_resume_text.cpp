// The whole résumé reaches both targets' notes: basics.website, skill keywords, every job,
// education, languages and certificates, decoded from real JSON Resume documents and laid
// out as docs/mapping.md ("Résumé in the notes") says, within the note limit.

#include "test_model_support.hpp"

#include "model/resume_text.hpp"

#include <pjats/greenhouse/mapping.hpp>
#include <pjats/lever/card.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace pjats;
using namespace pjats::model_test;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The JSON Resume project's sample résumé (tests/fixtures/jsonresume, MIT) with a
// Purpose Jobs id added to its `meta`.
model::Candidate sample_resume() {
    std::string text = read_text(std::string(PJATS_FIXTURES_DIR) + "/jsonresume/sample.resume.json");
    const std::string meta = "\"meta\": {";
    const std::size_t at = text.find(meta);
    REQUIRE(at != std::string::npos);
    text.insert(at + meta.size(), "\"purposeJobs\": {\"id\": \"sample-1\"},");
    auto parsed = model::parse_record(text, "sample.resume.json", "");
    REQUIRE_MESSAGE(parsed, (parsed ? "" : parsed.error().message));
    return std::move(parsed).value();
}

} // namespace

TEST_CASE("the JSON Resume sample reaches Greenhouse notes and the Lever note whole") {
    const model::Candidate c = sample_resume();
    REQUIRE(c.work.size() == 1);
    CHECK(c.work[0].highlights.size() == 3);
    REQUIRE(c.skill_details.size() == 2);
    CHECK(c.skill_details[0].keywords == std::vector<std::string>{"HTML", "CSS", "Javascript"});
    for (const std::string& text : {greenhouse::candidate_notes(c), lever::card_note(c)}) {
        CAPTURE(text);
        CHECK(contains(text,
                       "Skills:\n- Web Development (Master): HTML, CSS, Javascript\n"
                       "- Compression (Master): Mpeg, MP4, GIF\n"));
        CHECK(contains(text, "Experience:\n- CEO/President, Pied Piper, 2013-12-01 to 2014-12-01\n"
                             "  Pied Piper is a multi-platform"));
        CHECK(contains(text, "\n  * Successfully won Techcrunch Disrupt\n"));
        CHECK(contains(text,
                       "Education:\n- Bachelor, Information Technology, University of Oklahoma, "
                       "2011-06-01 to 2014-01-01\n"));
        CHECK(contains(text, "\nLanguages: English (Native speaker)\n"));
        CHECK(text.size() - text.rfind("\nPurpose Jobs profile: sample-1")
              == std::string("\nPurpose Jobs profile: sample-1").size());
    }
}

TEST_CASE("a pre-1.0 record: basics.website, company, every job, languages' old names") {
    const model::Candidate c = load_record("pre-1.0-website.json");
    CHECK(c.website == "https://thomasdavis.example.com");
    CHECK(c.company == "Ordo Data");
    CHECK(c.title == "Lead Developer");
    const std::string notes = greenhouse::candidate_notes(c);
    CHECK(notes
          == "Headline: Web Developer\n"
             "Summary: Open source developer.\n"
             "Skills:\n- Web (Master): JavaScript, Node.js\n- Ops: Docker\n"
             "Experience:\n"
             "- Lead Developer, Ordo Data, 2014-03 to present\n"
             "  Builds the data platform.\n"
             "  * Shipped the ingestion pipeline\n"
             "  * Hired four engineers\n"
             "- Developer, Earth Cloud, 2010-01 to 2014-02\n"
             "Education:\n- Bachelor, Computer Science, Griffith University, 2006 to 2009\n"
             "Languages: English (Native), German\n"
             "Certificates:\n- CKA, CNCF, 2021-06\n"
             "Purpose Jobs profile: pj-3001");
    const std::string note = lever::card_note(c);
    CHECK(contains(note, "\nLinks: https://thomasdavis.example.com\n"));
    CHECK(contains(note, "- Developer, Earth Cloud, 2010-01 to 2014-02\n"));
    const std::string body = greenhouse::candidate_body(c, {});
    CHECK(contains(body, "\"websites\":[{\"url\":\"https://thomasdavis.example.com\""));
}

TEST_CASE("basics.url wins over basics.website") {
    const std::string text = R"({"basics": {"name": "A B", "url": "https://new.example.com",
        "website": "https://old.example.com"}, "meta": {"purposeJobs": {"id": "1"}}})";
    auto parsed = model::parse_record(text, "r.json", "");
    REQUIRE(parsed);
    CHECK(parsed.value().website == "https://new.example.com");
}

TEST_CASE("skills without level or keywords stay on one line") {
    model::Candidate c;
    c.id = "1";
    c.skills = {"Python", "SQL"};
    c.skill_details = {{"Python", "", {}}, {"SQL", "", {}}};
    CHECK(model::skill_lines(c) == std::vector<std::string>{"Skills: Python, SQL"});
    c.skill_details.push_back({"", "", {"Go"}});
    CHECK(model::skill_lines(c)
          == std::vector<std::string>{"Skills:", "- Python", "- SQL", "- Go"});
}

TEST_CASE("a long entry and a long note are cut, and the cut is marked") {
    CHECK(model::cut_entry("abcdef", 3) == "abc [cut]");
    CHECK(model::cut_entry("abc", 3) == "abc");
    CHECK(model::cut_entry("ééé", 2) == "éé [cut]"); // never inside a UTF-8 sequence
    CHECK(model::char_count("郭海旭") == 3);

    model::Candidate c;
    c.id = "big";
    for (int i = 0; i < 400; ++i) {
        model::WorkEntry job;
        job.position = "Engineer " + std::to_string(i);
        job.company = "Company " + std::to_string(i);
        job.summary = std::string(100, 'x');
        c.work.push_back(job);
    }
    c.summary = std::string(5000, 's');
    for (const std::string& text : {greenhouse::candidate_notes(c), lever::card_note(c)}) {
        CHECK(model::char_count(text) <= model::k_max_note_chars);
        CHECK(model::char_count(text) > model::k_max_note_chars - 200);
        CHECK(contains(text, std::string(2000, 's') + " [cut]\n"));
        CHECK_FALSE(contains(text, std::string(2001, 's')));
        CHECK(contains(text, " more lines; notes are limited to 10000 characters]\n"
                             "Purpose Jobs profile: big"));
        CHECK(text.substr(text.size() - 25) == "Purpose Jobs profile: big");
    }
    CHECK(lever::is_card_note(lever::card_note(c), c));
}
