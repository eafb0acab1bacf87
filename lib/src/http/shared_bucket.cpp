// A token bucket's balance in a file under flock, shared by the processes of one machine.
#include <pjats/http/shared_bucket.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <utility>

namespace pjats::http {

using namespace std::chrono;

namespace {

bool make_dirs(const std::string& dir) {
    if (dir.empty()) {
        return true;
    }
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0) {
        return S_ISDIR(st.st_mode);
    }
    const std::string::size_type slash = dir.rfind('/');
    if (slash != std::string::npos && slash > 0 && !make_dirs(dir.substr(0, slash))) {
        return false;
    }
    return ::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST;
}

// Holds an exclusive flock for a scope.
class FileLock {
  public:
    explicit FileLock(int fd)
        : m_fd(fd) {
        while (::flock(m_fd, LOCK_EX) != 0 && errno == EINTR) {
        }
    }
    ~FileLock() { ::flock(m_fd, LOCK_UN); }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

  private:
    int m_fd;
};

} // namespace

std::unique_ptr<SharedBucketFile> SharedBucketFile::open(const std::string& path, WallClock clock) {
    const std::string::size_type slash = path.rfind('/');
    if (slash != std::string::npos && !make_dirs(path.substr(0, slash))) {
        return nullptr;
    }
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        return nullptr;
    }
    return std::unique_ptr<SharedBucketFile>(new SharedBucketFile(fd, path, std::move(clock)));
}

SharedBucketFile::SharedBucketFile(int fd, std::string path, WallClock clock)
    : m_fd(fd),
      m_path(std::move(path)),
      m_clock(clock ? std::move(clock) : WallClock(&system_clock::now)) {}

SharedBucketFile::~SharedBucketFile() {
    ::close(m_fd);
}

double SharedBucketFile::exchange(double rate,
                                  double burst,
                                  const std::function<double(double)>& spend) {
    const FileLock lock(m_fd);
    const std::int64_t now =
        duration_cast<nanoseconds>(m_clock().time_since_epoch()).count();
    char text[96] = {};
    const ssize_t got = ::pread(m_fd, text, sizeof text - 1, 0);
    double tokens = burst;
    std::int64_t at = now;
    double stored = 0;
    std::int64_t stored_at = 0;
    if (got > 0 && std::sscanf(text, "tokens %lf at %" SCNd64, &stored, &stored_at) == 2
        && std::isfinite(stored) && stored >= -1e6) {
        tokens = std::min(stored, burst);
        at = stored_at;
    }
    if (now > at && rate > 0) {
        tokens = std::min(burst, tokens + static_cast<double>(now - at) / 1e9 * rate);
    }
    const double before = tokens;
    tokens -= spend ? spend(before) : 0.0;
    const int n = std::snprintf(text, sizeof text, "tokens %.6f at %" PRId64 "\n", tokens, now);
    if (n > 0) {
        if (::pwrite(m_fd, text, static_cast<std::size_t>(n), 0) == n
            && ::ftruncate(m_fd, n) != 0) {
            // A longer old text keeps its tail; sscanf stops at the newline anyway.
        }
    }
    return before;
}

} // namespace pjats::http
