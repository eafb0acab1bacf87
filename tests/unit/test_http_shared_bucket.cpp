#include <pjats/http/rate_limiter.hpp>
#include <pjats/http/shared_bucket.hpp>

#include "support/temp_env.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <chrono>
#include <fstream>

using namespace std::chrono_literals;
using namespace pjats;
using http::SharedBucketFile;
using std::chrono::system_clock;

namespace {

struct WallTime {
    system_clock::time_point now = system_clock::time_point{} + std::chrono::hours{24 * 365 * 50};
    SharedBucketFile::WallClock clock() {
        return [this] { return now; };
    }
};

double take_one(double) {
    return 1.0;
}

} // namespace

TEST_CASE("http::SharedBucketFile: two openers of one file draw from one balance") {
    test::TempDir dir;
    WallTime time;
    const std::string path = dir.file("state/pace/lever-0123.bucket");
    auto first = SharedBucketFile::open(path, time.clock());
    auto second = SharedBucketFile::open(path, time.clock());
    REQUIRE(first);
    REQUIRE(second);
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat(dir.file("state/pace").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);

    // A new file starts full: the first opener spends the burst of 5...
    for (int i = 0; i < 5; ++i) {
        CHECK(first->exchange(10, 5, take_one) == doctest::Approx(5 - i));
    }
    // ...and the second finds it spent: a fresh process gets no fresh burst.
    CHECK(second->exchange(10, 5, take_one) == doctest::Approx(0));
    CHECK(first->exchange(10, 5, take_one) == doctest::Approx(-1)); // a queue
    // 300 ms at 10/s pay back 3 tokens.
    time.now += 300ms;
    CHECK(second->exchange(10, 5, take_one) == doctest::Approx(1));
    // Idle: refilled up to the burst, not beyond.
    time.now += 1h;
    CHECK(first->exchange(10, 5, [](double) { return 0.0; }) == doctest::Approx(5));
}

TEST_CASE("http::SharedBucketFile: a clock that went back adds nothing; garbage starts full") {
    test::TempDir dir;
    WallTime time;
    const std::string path = dir.file("b.bucket");
    auto bucket = SharedBucketFile::open(path, time.clock());
    REQUIRE(bucket);
    CHECK(bucket->exchange(1, 2, take_one) == doctest::Approx(2));
    CHECK(bucket->exchange(1, 2, take_one) == doctest::Approx(1));
    time.now -= 10min;
    CHECK(bucket->exchange(1, 2, take_one) == doctest::Approx(0));
    time.now += 1s; // from the time last written, not from the earlier, later one
    CHECK(bucket->exchange(1, 2, take_one) == doctest::Approx(0));
    {
        std::ofstream out(path, std::ios::trunc);
        out << "not a bucket";
    }
    CHECK(bucket->exchange(1, 2, take_one) == doctest::Approx(2));
}

TEST_CASE("http::TokenBucket shared through a file: two processes' buckets pace as one") {
    test::TempDir dir;
    WallTime time;
    const std::string path = dir.file("greenhouse-abc.bucket");
    http::TokenBucket a(10.0, 2.0);
    http::TokenBucket b(10.0, 2.0);
    a.share(SharedBucketFile::open(path, time.clock()));
    b.share(SharedBucketFile::open(path, time.clock()));
    CHECK(a.reserve() == 0us);
    CHECK(a.reserve() == 0us);
    // Unshared, b would start full; shared, it queues behind a's burst.
    CHECK(b.reserve() == 100'000us);
    CHECK(a.reserve() == 200'000us);
    time.now += 300ms; // pays the queue of 2 back and adds 1
    CHECK(b.reserve() == 0us);
    CHECK(a.reserve() == 100'000us);
}

TEST_CASE("http::SharedBucketFile::open fails softly where no file can be made") {
    test::TempDir dir;
    {
        std::ofstream out(dir.file("plain"));
        out << "x";
    }
    CHECK_FALSE(SharedBucketFile::open(dir.file("plain/pace/x.bucket")));
}
