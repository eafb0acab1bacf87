#pragma once

#include <unistd.h>

#include <utility>

namespace pjats::core {

// Owns a POSIX file descriptor and closes it on destruction. -1 means "none".
class UniqueFd {
  public:
    UniqueFd() = default;

    explicit UniqueFd(int fd)
        : m_fd(fd) {}

    UniqueFd(UniqueFd&& other) noexcept
        : m_fd(std::exchange(other.m_fd, -1)) {}

    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other) {
            reset(std::exchange(other.m_fd, -1));
        }
        return *this;
    }

    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;

    ~UniqueFd() {
        reset();
    }

    int get() const {
        return m_fd;
    }

    explicit operator bool() const {
        return m_fd >= 0;
    }

    // Gives up ownership without closing.
    int release() {
        return std::exchange(m_fd, -1);
    }

    // Closes the current descriptor (if any) and takes `fd`.
    void reset(int fd = -1) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = fd;
    }

    // Closes now and reports the result of close(2); 0 on success.
    int close() {
        if (m_fd < 0) {
            return 0;
        }
        return ::close(std::exchange(m_fd, -1));
    }

  private:
    int m_fd = -1;
};

} // namespace pjats::core
