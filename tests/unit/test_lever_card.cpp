// The Lever card: the note's text and marker, the résumé file name, and the checks of a
// résumé download (source::fetch_resume) over a scripted transport.

#include "support/scripted_transport.hpp"

#include <pjats/lever/card.hpp>
#include <pjats/source/resume_fetch.hpp>

#include <doctest/doctest.h>

using namespace pjats;

namespace {

model::Candidate card() {
    model::Candidate c;
    c.id = "1000";
    c.summary = "Builds climate tools.\nMentors.";
    c.skills = {"Python", "SQL"};
    c.values = {"Climate action", "Open source"};
    c.interests = {"Renewables"};
    c.salary = model::Salary{120000, 150000, "USD", "year"};
    c.website = "https://ada.example.com";
    c.profiles = {{"GitHub", "ada", "https://github.com/ada"},
                  {"Site", "", "https://ada.example.com"}};
    return c;
}

} // namespace

TEST_CASE("lever::card_note carries every part of the card, one line each, marker last") {
    const std::string note = lever::card_note(card());
    CHECK(note == "Purpose Jobs candidate card\n"
                  "Summary: Builds climate tools.\nMentors.\n"
                  "Skills: Python, SQL\n"
                  "Values: Climate action, Open source\n"
                  "Interests: Renewables\n"
                  "Salary: 120000-150000 USD per year\n"
                  "Links: https://ada.example.com, https://github.com/ada\n"
                  "Purpose Jobs profile: 1000");
    CHECK(lever::is_card_note(note, card()));
    model::Candidate other = card();
    other.id = "100";
    CHECK_FALSE(lever::is_card_note(note, other)); // "1000" is not "100"
    CHECK_FALSE(lever::is_card_note("Purpose Jobs profile: 1000 (copy)", card()));
    CHECK(lever::is_card_note("x\r\nPurpose Jobs profile: 1000\r\n", card()));
    model::Candidate bare;
    bare.id = "7";
    CHECK(lever::card_note(bare) == "Purpose Jobs candidate card\nPurpose Jobs profile: 7");
}

TEST_CASE("lever::resume_file_name is per candidate, with the type's extension") {
    model::Candidate c = card();
    CHECK(lever::resume_file_name(c, "application/pdf") == "purpose-jobs-1000-resume.pdf");
    CHECK(lever::resume_file_name(c, "Application/PDF; x=y") == "purpose-jobs-1000-resume.pdf");
    c.id = "a/../b c";
    CHECK(lever::resume_file_name(c, "text/plain") == "purpose-jobs-a----b-c-resume.txt");
}

TEST_CASE("source::fetch_resume refuses plain http to another host before any request") {
    test::ScriptedTransport transport;
    auto got = source::fetch_resume(transport, "http://files.example.com/cv.pdf?token=s3cret");
    REQUIRE_FALSE(got);
    CHECK(got.error().kind == ErrorKind::validation);
    CHECK(got.error().field == "meta.purposeJobs.resumeUrl");
    CHECK(got.error().message.find("files.example.com") != std::string::npos);
    CHECK(got.error().message.find("s3cret") == std::string::npos);
    CHECK(transport.requests().empty());
}

TEST_CASE("source::fetch_resume re-checks every redirect and takes the bytes unchanged") {
    test::ScriptedTransport transport;
    transport.respond(302, "", {{"Location", "http://evil.example.com/cv.pdf"}});
    auto refused = source::fetch_resume(transport, "https://files.example.com/cv.pdf");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("evil.example.com") != std::string::npos);
    CHECK(transport.requests().size() == 1);

    const std::string bytes("%PDF\0\xff\n", 7);
    test::ScriptedTransport ok;
    ok.respond(301, "", {{"Location", "/b/cv.bin"}});
    ok.respond(200, bytes, {{"Content-Type", "application/octet-stream"}});
    auto got = source::fetch_resume(ok, "https://files.example.com/a/cv.pdf");
    CHECK_FALSE(got); // octet-stream: the extension of the path served decides: .bin is not one

    test::ScriptedTransport typed;
    typed.respond(302, "", {{"Location", "cv2.pdf"}});
    typed.respond(200, bytes, {{"Content-Type", "application/octet-stream"}});
    auto fetched = source::fetch_resume(typed, "https://files.example.com/a/cv.pdf");
    REQUIRE(fetched);
    CHECK(fetched->bytes == bytes);
    CHECK(fetched->content_type == "application/pdf");
    REQUIRE(typed.requests().size() == 2);
    CHECK(typed.requests()[1].url == "https://files.example.com/a/cv2.pdf");
    for (const http::Request& request : typed.requests()) {
        for (const http::Header& header : request.headers) {
            CHECK(header.name != "Authorization");
        }
    }
}

TEST_CASE("source::fetch_resume: status, size and type are checked") {
    test::ScriptedTransport missing;
    missing.respond(404, "nope", {{"Content-Type", "text/html"}});
    auto gone = source::fetch_resume(missing, "https://f.example.com/cv.pdf");
    REQUIRE_FALSE(gone);
    CHECK(gone.error().kind == ErrorKind::not_found);

    test::ScriptedTransport html;
    html.respond(200, "<html>", {{"Content-Type", "text/html; charset=utf-8"}});
    auto page = source::fetch_resume(html, "https://f.example.com/cv.pdf");
    REQUIRE_FALSE(page);
    CHECK(page.error().message.find("text/html") != std::string::npos);

    test::ScriptedTransport big;
    big.respond(200, std::string(source::k_max_resume_bytes + 1, 'x'),
                {{"Content-Type", "application/pdf"}});
    auto huge = source::fetch_resume(big, "https://f.example.com/cv.pdf");
    REQUIRE_FALSE(huge);
    CHECK(huge.error().message.find("30 MB") != std::string::npos);

    test::ScriptedTransport loops;
    for (int i = 0; i <= source::k_max_resume_redirects; ++i) {
        loops.respond(302, "", {{"Location", "/again"}});
    }
    auto looped = source::fetch_resume(loops, "https://f.example.com/cv.pdf");
    REQUIRE_FALSE(looped);
    CHECK(looped.error().message.find("redirected more than") != std::string::npos);

    CHECK(source::resume_extension("application/vnd.openxmlformats-officedocument."
                                   "wordprocessingml.document")
          == ".docx");
    CHECK(source::resume_extension("image/png").empty());
}
