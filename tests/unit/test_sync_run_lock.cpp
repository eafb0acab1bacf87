// The process run lock: exclusive, non-blocking, released with its owner.

#include "support/temp_env.hpp"

#include <pjats/core/run_lock.hpp>

#include <doctest/doctest.h>

#include <filesystem>

using namespace pjats;

TEST_CASE("run lock: a second acquire fails with conflict until the first is released") {
    test::TempDir dir;
    const std::string path = dir.file("state/pj-ats/default.sync.lock");
    {
        auto first = core::RunLock::acquire(path);
        REQUIRE(first.has_value());
        CHECK(std::filesystem::exists(path));
        auto second = core::RunLock::acquire(path);
        REQUIRE_FALSE(second.has_value());
        CHECK(second.error().kind == ErrorKind::conflict);
        CHECK(second.error().message.find(path) != std::string::npos);
        CHECK(second.error().message.find("another pj-ats sync is running") != std::string::npos);
    }
    auto again = core::RunLock::acquire(path);
    CHECK(again.has_value());
}

TEST_CASE("run lock: moving keeps the lock held") {
    test::TempDir dir;
    const std::string path = dir.file("x.lock");
    auto first = core::RunLock::acquire(path);
    REQUIRE(first.has_value());
    core::RunLock moved = std::move(*first);
    CHECK(moved.path() == path);
    CHECK_FALSE(core::RunLock::acquire(path).has_value());
}

TEST_CASE("run lock: the path sits next to the profile's ledger") {
    test::EnvGuard state("XDG_STATE_HOME", std::string("/tmp/pjats-state-test"));
    CHECK(core::sync_lock_path("work") == "/tmp/pjats-state-test/pj-ats/work.sync.lock");
}
