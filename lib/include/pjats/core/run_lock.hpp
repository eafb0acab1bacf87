#pragma once

#include <pjats/core/result.hpp>

#include <string>

namespace pjats::core {

// An exclusive, process-wide lock on a file (flock), held for the lifetime of the object.
// The kernel releases it when the process exits or crashes, so a stale lock never blocks
// the next run. Used by `sync` so that two overlapping cron runs cannot double-send.
class RunLock {
  public:
    // Creates `path` (and its directory, 0700) if needed and takes the lock without
    // waiting. Held by another open file description (another process, or another
    // acquire in this one): kind `conflict`, naming the path.
    static Result<RunLock> acquire(const std::string& path);

    RunLock(RunLock&& other) noexcept;
    RunLock& operator=(RunLock&& other) noexcept;
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;
    ~RunLock();

    const std::string& path() const {
        return m_path;
    }

  private:
    RunLock(int fd, std::string path)
        : m_fd(fd),
          m_path(std::move(path)) {}

    int m_fd = -1;
    std::string m_path;
};

// $XDG_STATE_HOME/pj-ats/<profile>.sync.lock, next to the profile's ledger.
std::string sync_lock_path(const std::string& profile);

} // namespace pjats::core
