// The config lock: flock(2) on "<config>.lock". flock locks belong to the open file
// description, so two opens of the lock file exclude each other even within one process.

#include "config_files.hpp"
#include "unique_fd.hpp"

#include <pjats/profile/profile.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace pjats::profile {

Result<ConfigLock> ConfigLock::acquire(const std::string& config_path) {
    if (config_path.empty()) {
        return detail::no_config_dir_error();
    }
    PJATS_TRY(detail::ensure_private_dir(detail::parent_dir(config_path)));
    const std::string lock_path = config_path + ".lock";
    detail::UniqueFd fd;
    do {
        fd.reset(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600));
    } while (!fd && errno == EINTR);
    if (!fd) {
        return make_error(ErrorKind::config,
                          "cannot open lock file " + lock_path + ": " + std::strerror(errno));
    }
    int locked = -1;
    do {
        locked = ::flock(fd.get(), LOCK_EX);
    } while (locked != 0 && errno == EINTR);
    if (locked != 0) {
        return make_error(ErrorKind::config,
                          "cannot lock " + lock_path + ": " + std::strerror(errno));
    }
    return ConfigLock(fd.release());
}

ConfigLock::ConfigLock(ConfigLock&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)) {}

ConfigLock& ConfigLock::operator=(ConfigLock&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) {
            ::close(m_fd); // closing releases the flock
        }
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

ConfigLock::~ConfigLock() {
    if (m_fd >= 0) {
        ::close(m_fd); // closing releases the flock
    }
}

} // namespace pjats::profile
