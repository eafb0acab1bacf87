// source::job_presence: link-job's check that a Purpose Jobs job id means something.

#include "support/scripted_transport.hpp"
#include "support/temp_env.hpp"

#include <pjats/source/source.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace pjats;

namespace {

void write(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
}

source::JobPresence presence(source::Source& source, const std::string& job) {
    auto found = source::job_presence(source, job);
    REQUIRE_MESSAGE(found.has_value(), (found ? "" : found.error().message));
    return *found;
}

} // namespace

TEST_CASE("source::job_presence with a dir source") {
    test::TempDir dir;
    write(dir.path() + "/applications/job-1/001.json",
          R"({"basics":{"name":"Ada Lovelace","email":"ada@example.com"},)"
          R"("meta":{"purposeJobs":{"id":"c1"}}})");
    write(dir.path() + "/applications/job-bad/001.json", "{not json");
    std::filesystem::create_directories(dir.path() + "/applications/job-new");
    auto source = source::make_dir_source(dir.path());
    CHECK(presence(*source, "job-1") == source::JobPresence::has_applications);
    // An unreadable application still means the job exists.
    CHECK(presence(*source, "job-bad") == source::JobPresence::has_applications);
    CHECK(presence(*source, "job-new") == source::JobPresence::no_applications);
    CHECK(presence(*source, "pj-jbo-77") == source::JobPresence::no_applications);
    auto bad = source::job_presence(*source, "../x");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().kind == ErrorKind::usage);
}

TEST_CASE("source::job_presence with a url source") {
    test::ScriptedTransport transport;
    transport.respond(200, R"({"applications":[]})");
    transport.respond(404, R"({"error":"no such job"})");
    transport.respond(401, R"({"error":"token"})");
    auto source = source::make_url_source(transport, "https://pj.example", "tok");
    CHECK(presence(*source, "job-new") == source::JobPresence::no_applications);
    CHECK(presence(*source, "typo") == source::JobPresence::unknown_job);
    auto refused = source::job_presence(*source, "job-1");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().kind == ErrorKind::auth);
}
