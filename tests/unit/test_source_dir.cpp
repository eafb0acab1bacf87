#include "test_model_support.hpp"

#include <pjats/source/source.hpp>

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

using pjats::ErrorKind;
using pjats::source::check_record_id;
using pjats::source::make_dir_source;
using namespace pjats::model_test;
namespace fs = std::filesystem;

namespace {

std::string record(const std::string& id, const std::string& name = "Ada Lovelace") {
    return R"({"basics":{"name":")" + name + R"("},"meta":{"purposeJobs":{"id":")" + id + R"("}}})";
}

std::vector<std::string> ids_of(const pjats::source::Source::Page& page) {
    std::vector<std::string> ids;
    for (const auto& application : page.applications) {
        ids.push_back(application.id);
    }
    return ids;
}

} // namespace

TEST_CASE("source::check_record_id") {
    for (const char* good : {"42", "pj-1001", "a.b_c-D", "..a", "a..", "-"}) {
        CAPTURE(good);
        CHECK(check_record_id(good).has_value());
    }
    CHECK(check_record_id(std::string(128, 'x')).has_value());
    const std::vector<std::string> bad = {"",
                                          ".",
                                          "..",
                                          "../x",
                                          "a/b",
                                          "a\\b",
                                          "/etc",
                                          "a b",
                                          std::string("a\0b", 3),
                                          "é",
                                          "a?b",
                                          "%2e%2e",
                                          std::string(129, 'x')};
    for (const std::string& id : bad) {
        CAPTURE(id);
        const auto status = check_record_id(id);
        REQUIRE_FALSE(status.has_value());
        CHECK(status.error().kind == ErrorKind::usage);
    }
    // Control characters are not echoed into messages.
    const auto status = check_record_id("a\nb\x1b[31m");
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().message.find('\n') == std::string::npos);
    CHECK(status.error().message.find('\x1b') == std::string::npos);
}

TEST_CASE("source::make_dir_source candidate lookup") {
    ScratchDir dir;
    const fs::path candidates = dir.path() / "candidates";
    write_text(candidates / "42.json", record("42"));
    write_text(candidates / "43.json",
               R"({"basics":{"name":"Ada Lovelace"},"meta":{"purposeJobs":{"id":43,)"
               R"("resumeFile":"cv/43.pdf"}}})");
    write_text(candidates / "mismatch.json", record("other"));
    write_text(candidates / "bad.json",
               R"({"basics":{"email":7},"meta":{"purposeJobs":{"id":"bad"}}})");
    write_text(dir.path() / "secret.json", record("secret"));
    auto source = make_dir_source(dir.path().string());

    SUBCASE("describe names the folder") {
        CHECK(source->describe() == "dir " + dir.path().string());
    }
    SUBCASE("a record is read and its resume file resolved in candidates/") {
        auto c = source->candidate("43");
        REQUIRE(c.has_value());
        CHECK(c->id == "43");
        CHECK(c->origin == "candidates/43.json");
        CHECK(c->resume_file == (candidates / "cv/43.pdf").string());
        auto by_string = source->candidate("42");
        REQUIRE(by_string.has_value());
        CHECK(by_string->first_name == "Ada");
    }
    SUBCASE("a missing record is not_found") {
        auto c = source->candidate("44");
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error().kind == ErrorKind::not_found);
        CHECK(c.error().message
              == "no record for candidate 44 in " + (dir.path() / "candidates").string());
    }
    SUBCASE("a record whose id differs from its file name") {
        auto c = source->candidate("mismatch");
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error().kind == ErrorKind::validation);
        CHECK(c.error().field == "meta.purposeJobs.id");
        CHECK(c.error().message.rfind("candidates/mismatch.json: meta.purposeJobs.id: ", 0) == 0);
    }
    SUBCASE("a malformed record names the file and field") {
        auto c = source->candidate("bad");
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error().message
              == "candidates/bad.json: basics.email: expected a string, got number");
    }
    SUBCASE("ids that try to leave the folder are usage errors") {
        for (const char* id : {"../secret", "..", ".", "/etc/passwd", "a/../../secret", ""}) {
            CAPTURE(id);
            auto c = source->candidate(id);
            REQUIRE_FALSE(c.has_value());
            CHECK(c.error().kind == ErrorKind::usage);
        }
    }
    SUBCASE("a directory where a record belongs is a failure naming the path") {
        fs::create_directories(candidates / "dir.json");
        auto c = source->candidate("dir");
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error().kind == ErrorKind::failure);
        CHECK(c.error().message.find((candidates / "dir.json").string()) != std::string::npos);
    }
    SUBCASE("an unreadable record is a failure naming the path") {
        if (::geteuid() == 0) {
            MESSAGE("running as root: permissions cannot make a file unreadable");
            return;
        }
        const fs::path file = candidates / "42.json";
        ::chmod(file.c_str(), 0);
        auto c = source->candidate("42");
        ::chmod(file.c_str(), 0644);
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error().kind == ErrorKind::failure);
        CHECK(c.error().message.find(file.string()) != std::string::npos);
    }
}

TEST_CASE("source::make_dir_source applications") {
    ScratchDir dir;
    const fs::path job = dir.path() / "applications" / "job-7";
    write_text(job / "0001.json", record("c1", "Ada Lovelace"));
    write_text(job / "0002.json", record("c2", "Grace Hopper"));
    write_text(job / "0003.json", "{ not json");
    write_text(job / "0004.json", record("c4", "Alan Turing"));
    write_text(job / "0005.json", R"({"basics":{"name":"No Id"}})");
    write_text(job / "0006.json", record("c6", "Katherine Johnson"));
    write_text(job / ".0000.json.tmp", record("hidden"));
    write_text(job / ".0000.json", record("hidden"));
    write_text(job / "notes.txt", "not a record");
    write_text(job / "bad id.json", record("c9"));
    fs::create_directories(job / "0007.json");
    auto source = make_dir_source(dir.path().string());

    SUBCASE("everything, sorted, with malformed files reported") {
        auto page = source->applications("job-7", "", 0);
        REQUIRE(page.has_value());
        CHECK(ids_of(*page) == std::vector<std::string>{"0001", "0002", "0004", "0006"});
        const auto& first = page->applications.front();
        CHECK(first.job_id == "job-7");
        CHECK(first.cursor == "0001.json");
        CHECK(first.candidate.id == "c1");
        CHECK(first.candidate.origin == "applications/job-7/0001.json");
        REQUIRE(page->errors.size() == 3);
        CHECK(page->errors[0].message.rfind("applications/job-7/0003.json: invalid JSON", 0) == 0);
        CHECK(page->errors[1].message.rfind("applications/job-7/0005.json: meta.purposeJobs.id", 0)
              == 0);
        CHECK(page->errors[2].message.rfind("applications/job-7/bad id.json: ", 0) == 0);
    }
    SUBCASE("since is exclusive") {
        auto page = source->applications("job-7", "0002.json", 0);
        REQUIRE(page.has_value());
        CHECK(ids_of(*page) == std::vector<std::string>{"0004", "0006"});
    }
    SUBCASE("a cursor between files") {
        auto page = source->applications("job-7", "0004", 0);
        REQUIRE(page.has_value());
        CHECK(ids_of(*page) == std::vector<std::string>{"0004", "0006"});
    }
    SUBCASE("limit counts applications and pages continue from the last cursor") {
        auto first = source->applications("job-7", "", 2);
        REQUIRE(first.has_value());
        CHECK(ids_of(*first) == std::vector<std::string>{"0001", "0002"});
        auto second = source->applications("job-7", first->applications.back().cursor, 2);
        REQUIRE(second.has_value());
        CHECK(ids_of(*second) == std::vector<std::string>{"0004", "0006"});
        auto third = source->applications("job-7", second->applications.back().cursor, 2);
        REQUIRE(third.has_value());
        CHECK(third->applications.empty());
    }
    SUBCASE("a job without a folder has no applications") {
        auto page = source->applications("job-8", "", 0);
        REQUIRE(page.has_value());
        CHECK(page->applications.empty());
        CHECK(page->errors.empty());
    }
    SUBCASE("job ids that try to leave the folder are usage errors") {
        for (const char* id : {"..", "../applications/job-7", "job-7/..", ""}) {
            CAPTURE(id);
            auto page = source->applications(id, "", 0);
            REQUIRE_FALSE(page.has_value());
            CHECK(page.error().kind == ErrorKind::usage);
        }
    }
    SUBCASE("a missing source folder gives empty pages and not_found candidates") {
        auto missing = make_dir_source((dir.path() / "nope").string());
        auto page = missing->applications("job-7", "", 0);
        REQUIRE(page.has_value());
        CHECK(page->applications.empty());
        auto c = missing->candidate("1");
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error().kind == ErrorKind::not_found);
    }
}

TEST_CASE("source::make_dir_source keeps résumé files inside the source folder") {
    ScratchDir dir;
    const fs::path root = dir.path() / "export";
    const fs::path candidates = root / "candidates";
    const auto with_resume = [](const std::string& id, const std::string& resume_file) {
        return R"({"basics":{"name":"Ada Lovelace"},"meta":{"purposeJobs":{"id":")" + id
               + R"(","resumeFile":")" + resume_file + R"("}}})";
    };
    write_text(candidates / "files" / "cv.pdf", "%PDF-1.4");
    write_text(dir.path() / "outside.pdf", "%PDF-1.4 outside");
    write_text(candidates / "ok.json", with_resume("ok", "files/cv.pdf"));
    write_text(candidates / "up.json", with_resume("up", "../../outside.pdf"));
    write_text(candidates / "abs.json", with_resume("abs", (dir.path() / "outside.pdf").string()));
    write_text(candidates / "link.json", with_resume("link", "files/link.pdf"));
    fs::create_symlink(dir.path() / "outside.pdf", candidates / "files" / "link.pdf");
    const fs::path job = root / "applications" / "job-1";
    write_text(job / "0001.json", with_resume("c1", "../../candidates/files/cv.pdf"));
    write_text(job / "0002.json", with_resume("c2", "../../../outside.pdf"));
    auto source = make_dir_source(root.string());

    SUBCASE("a file under candidates/ is accepted") {
        auto c = source->candidate("ok");
        REQUIRE(c.has_value());
        CHECK(c->resume_file == (candidates / "files" / "cv.pdf").string());
    }
    SUBCASE("escapes are validation problems on meta.purposeJobs.resumeFile") {
        for (const char* id : {"up", "abs", "link"}) {
            CAPTURE(id);
            auto c = source->candidate(id);
            REQUIRE_FALSE(c.has_value());
            CHECK(c.error().kind == ErrorKind::validation);
            CHECK(c.error().field == "meta.purposeJobs.resumeFile");
            CHECK(c.error().message.find("outside.pdf") == std::string::npos);
        }
    }
    SUBCASE("an application may name a file elsewhere in the source folder, not outside") {
        auto page = source->applications("job-1", "", 0);
        REQUIRE(page.has_value());
        CHECK(ids_of(*page) == std::vector<std::string>{"0001"});
        CHECK(page->applications.front().candidate.resume_file
              == (candidates / "files" / "cv.pdf").string());
        REQUIRE(page->errors.size() == 1);
        CHECK(page->errors[0].field == "meta.purposeJobs.resumeFile");
        CHECK(page->errors[0].message.rfind(
                  "applications/job-1/0002.json: meta.purposeJobs.resumeFile: ", 0)
              == 0);
    }
}
