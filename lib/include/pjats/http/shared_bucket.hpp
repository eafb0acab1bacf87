#pragma once

// One request budget per key for every process of a machine: the balance of a token
// bucket kept in a small file under an exclusive flock. TokenBucket and AdaptivePacer use
// it when the command knows its key (app::Transports), so back-to-back and concurrent
// commands of one key together stay under the key's limit.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace pjats::http {

class SharedBucketFile {
  public:
    using WallClock = std::function<std::chrono::system_clock::time_point()>;

    // Opens (creating it 0600, and its directory 0700) the bucket file `path`; null when
    // that fails (callers then keep their in-process bucket). `clock`: the wall clock
    // (default system_clock), the one time base every process shares.
    static std::unique_ptr<SharedBucketFile> open(const std::string& path, WallClock clock = {});

    ~SharedBucketFile();
    SharedBucketFile(const SharedBucketFile&) = delete;
    SharedBucketFile& operator=(const SharedBucketFile&) = delete;

    // Under the file's lock: the stored balance refilled at `rate` per second up to `burst`
    // since it was stored (a new or unreadable file: `burst`; a clock that went back adds
    // nothing), then `spend(balance)` is subtracted and the result stored with the time.
    // Returns the balance before spending. The balance may go negative: a queue of
    // reservations every process waits out in turn.
    double exchange(double rate, double burst, const std::function<double(double)>& spend);

    const std::string& path() const { return m_path; }

  private:
    SharedBucketFile(int fd, std::string path, WallClock clock);

    int m_fd;
    std::string m_path;
    WallClock m_clock;
};

} // namespace pjats::http
