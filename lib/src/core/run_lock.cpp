#include <pjats/core/run_lock.hpp>
#include <pjats/ledger/ledger.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace pjats::core {

namespace {

Error lock_error(ErrorKind kind, const std::string& what, const std::string& path, int err) {
    return make_error(kind, what + " " + path + ": " + std::strerror(err));
}

} // namespace

Result<RunLock> RunLock::acquire(const std::string& path) {
    namespace fs = std::filesystem;
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) {
        std::error_code ec;
        if (fs::create_directories(parent, ec)) {
            fs::permissions(parent, fs::perms::owner_all, ec);
        }
    }
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return lock_error(ErrorKind::failure, "cannot open lock file", path, errno);
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        ::close(fd);
        if (err == EWOULDBLOCK) {
            return make_error(ErrorKind::conflict,
                              "another pj-ats sync is running (lock " + path + ")");
        }
        return lock_error(ErrorKind::failure, "cannot lock", path, err);
    }
    return RunLock(fd, path);
}

RunLock::RunLock(RunLock&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)),
      m_path(std::move(other.m_path)) {}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = std::exchange(other.m_fd, -1);
        m_path = std::move(other.m_path);
    }
    return *this;
}

RunLock::~RunLock() {
    if (m_fd >= 0) {
        ::close(m_fd); // closing the last descriptor releases the flock
    }
}

std::string sync_lock_path(const std::string& profile) {
    std::string path = ledger::default_path(profile);
    constexpr std::string_view k_db = ".db";
    if (path.ends_with(k_db)) {
        path.resize(path.size() - k_db.size());
    }
    return path + ".sync.lock";
}

} // namespace pjats::core
