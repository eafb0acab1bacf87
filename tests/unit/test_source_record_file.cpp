#include "test_model_support.hpp"

#include <pjats/source/source.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>

using pjats::ErrorKind;
using pjats::source::read_record_file;
using namespace pjats::model_test;
namespace fs = std::filesystem;

namespace {

// Replaces std::cin's buffer until destruction.
class StdinFrom {
  public:
    explicit StdinFrom(const std::string& text)
        : m_in(text),
          m_old(std::cin.rdbuf(m_in.rdbuf())) {}

    StdinFrom(const StdinFrom&) = delete;
    StdinFrom& operator=(const StdinFrom&) = delete;

    ~StdinFrom() {
        std::cin.rdbuf(m_old);
        std::cin.clear();
    }

  private:
    std::istringstream m_in;
    std::streambuf* m_old;
};

} // namespace

TEST_CASE("source::read_record_file") {
    SUBCASE("a file: origin is the path, resumeFile resolves next to it") {
        const std::string path = records_dir() + "/senior-engineer.json";
        auto c = read_record_file(path);
        REQUIRE(c.has_value());
        CHECK(c->origin == path);
        CHECK(c->id == "1002");
        CHECK(c->resume_file == records_dir() + "/files/lena-vasquez.pdf");
    }
    SUBCASE("standard input") {
        StdinFrom in(
            R"({"basics":{"name":"Ada Lovelace"},"meta":{"purposeJobs":{"id":"s1","resumeFile":"cv.pdf"}}})");
        auto c = read_record_file("-");
        REQUIRE(c.has_value());
        CHECK(c->origin == "stdin");
        CHECK(c->id == "s1");
        CHECK(c->resume_file == (fs::current_path() / "cv.pdf").string());
    }
    SUBCASE("standard input errors are named stdin") {
        StdinFrom in(R"({"meta":{"purposeJobs":{}}})");
        auto c = read_record_file("-");
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error().message
              == "stdin: meta.purposeJobs.id: missing (every record needs its "
                 "Purpose Jobs id)");
    }
    SUBCASE("oversized standard input stops at the limit") {
        StdinFrom in(std::string(pjats::model::k_max_record_bytes + 10, ' '));
        auto c = read_record_file("-");
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error().kind == ErrorKind::validation);
        CHECK(c.error().message.find("larger than the limit") != std::string::npos);
    }
    SUBCASE("an oversized file") {
        ScratchDir dir;
        const fs::path file = dir.path() / "big.json";
        write_text(file, std::string(pjats::model::k_max_record_bytes + 1, ' '));
        auto c = read_record_file(file.string());
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error().kind == ErrorKind::validation);
    }
    SUBCASE("a missing file is a failure naming it") {
        auto c = read_record_file("/nonexistent/pj-ats/record.json");
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error().kind == ErrorKind::failure);
        CHECK(c.error().message.find("/nonexistent/pj-ats/record.json") != std::string::npos);
    }
    SUBCASE("a directory is a failure") {
        auto c = read_record_file(records_dir());
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error().kind == ErrorKind::failure);
    }
    SUBCASE("a malformed file names the path as origin") {
        const std::string path = records_dir() + "/malformed/truncated.json";
        auto c = read_record_file(path);
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error().message.rfind(path + ": invalid JSON at offset", 0) == 0);
    }
}
