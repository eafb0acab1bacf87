// Secure file handling for the config: permission checks on read, 0700 directories, and
// atomic replacement so that a crash never leaves a truncated secrets file behind.

#include "config_files.hpp"

#include "unique_fd.hpp"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace pjats::profile::detail {

namespace {

// Larger config files are certainly not ours; refuse rather than read without bound.
constexpr std::size_t k_max_config_size = 4 * 1024 * 1024;

std::string errno_text(int err) {
    return std::strerror(err);
}

Error config_error(std::string message) {
    return make_error(ErrorKind::config, std::move(message));
}

std::string octal_mode(mode_t mode) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode & 07777));
    return buffer;
}

bool writable_by_others(const struct stat& st) {
    return (st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (st.st_mode & S_ISVTX) == 0;
}

Error dir_writable_error(const std::string& dir, const struct stat& st) {
    return with_fix_hint(config_error("config directory " + dir + " is writable by others (mode "
                                      + octal_mode(st.st_mode) + ")"),
                         "chmod 700 " + shell_quote(dir));
}

int open_retrying(const char* path, int flags, mode_t mode = 0) {
    int fd = -1;
    do {
        fd = ::open(path, flags, mode);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

Status write_all(int fd, const std::string& content) {
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return config_error(errno_text(errno));
        }
        done += static_cast<std::size_t>(n);
    }
    return {};
}

// Creates `dir` and its missing parents with mode 0700.
Status make_dirs(const std::string& dir) {
    struct stat st {};

    if (::stat(dir.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            return config_error("cannot create config directory " + dir
                                + ": a file with that name exists");
        }
        return {};
    }
    if (errno != ENOENT) {
        return config_error("cannot access config directory " + dir + ": " + errno_text(errno));
    }
    const std::string parent = parent_dir(dir);
    if (parent != dir) {
        PJATS_TRY(make_dirs(parent));
    }
    if (::mkdir(dir.c_str(), 0700) != 0) {
        if (errno == EEXIST) {
            return {};
        }
        return config_error("cannot create config directory " + dir + ": " + errno_text(errno));
    }
    // mkdir applies the umask, which can only narrow the mode; make it exactly 0700.
    if (::chmod(dir.c_str(), 0700) != 0) {
        return config_error("cannot set mode of config directory " + dir + ": "
                            + errno_text(errno));
    }
    return {};
}

// Removes the temp file on destruction unless the rename succeeded.
class TempFileGuard {
  public:
    explicit TempFileGuard(std::string path)
        : m_path(std::move(path)) {}

    TempFileGuard(const TempFileGuard&) = delete;
    TempFileGuard& operator=(const TempFileGuard&) = delete;

    ~TempFileGuard() {
        if (!m_committed) {
            ::unlink(m_path.c_str());
        }
    }

    void commit() {
        m_committed = true;
    }

  private:
    std::string m_path;
    bool m_committed = false;
};

// The file a symlink at `path` points to, so that saving keeps a dotfiles symlink intact.
Result<std::string> resolve_target(const std::string& path) {
    struct stat st {};

    if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) {
        return path;
    }
    char* real = ::realpath(path.c_str(), nullptr);
    if (real == nullptr) {
        return config_error("cannot resolve config symlink " + path + ": " + errno_text(errno));
    }
    std::string target(real);
    std::free(real);
    return target;
}

} // namespace

Error no_config_dir_error() {
    return config_error("cannot determine config directory: set HOME or XDG_CONFIG_HOME");
}

std::string parent_dir(const std::string& path) {
    std::string::size_type end = path.size();
    while (end > 1 && path[end - 1] == '/') {
        --end;
    }
    const std::string::size_type slash = path.rfind('/', end - 1);
    if (slash == std::string::npos) {
        return ".";
    }
    if (slash == 0) {
        return "/";
    }
    return path.substr(0, slash);
}

std::string shell_quote(const std::string& text) {
    bool safe = !text.empty();
    for (char c : text) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                        || std::strchr("/._-+:,=@%", c) != nullptr;
        if (!ok || c == '\0') {
            safe = false;
            break;
        }
    }
    if (safe) {
        return text;
    }
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\'') {
            quoted += "'\\''";
        } else {
            quoted += c;
        }
    }
    quoted += "'";
    return quoted;
}

Result<std::optional<std::string>> read_private_file(const std::string& path) {
    if (path.empty()) {
        return no_config_dir_error();
    }
    UniqueFd fd(open_retrying(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!fd) {
        if (errno == ENOENT) {
            return std::optional<std::string>();
        }
        return config_error("cannot read config file " + path + ": " + errno_text(errno));
    }

    struct stat st {};

    if (::fstat(fd.get(), &st) != 0) {
        return config_error("cannot read config file " + path + ": " + errno_text(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        return config_error("config file " + path + " is not a regular file");
    }
    if (st.st_uid != ::geteuid() && ::geteuid() != 0) {
        return config_error("config file " + path + " belongs to another user (uid "
                            + std::to_string(st.st_uid) + "); it must be owned by you");
    }
    if ((st.st_mode & 077) != 0) {
        return with_fix_hint(config_error("config file " + path + " is readable by others (mode "
                                          + octal_mode(st.st_mode) + ")"),
                             "chmod 600 " + shell_quote(path));
    }
    const std::string dir = parent_dir(path);

    struct stat dir_st {};

    if (::stat(dir.c_str(), &dir_st) == 0 && writable_by_others(dir_st)) {
        return dir_writable_error(dir, dir_st);
    }
    if (static_cast<std::size_t>(st.st_size) > k_max_config_size) {
        return config_error("config file " + path + " is too large");
    }
    std::string content;
    std::vector<char> buffer(16 * 1024);
    for (;;) {
        ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return config_error("cannot read config file " + path + ": " + errno_text(errno));
        }
        if (n == 0) {
            break;
        }
        content.append(buffer.data(), static_cast<std::size_t>(n));
        if (content.size() > k_max_config_size) {
            return config_error("config file " + path + " is too large");
        }
    }
    return std::optional<std::string>(std::move(content));
}

Status ensure_private_dir(const std::string& dir) {
    PJATS_TRY(make_dirs(dir));

    struct stat st {};

    if (::stat(dir.c_str(), &st) != 0) {
        return config_error("cannot access config directory " + dir + ": " + errno_text(errno));
    }
    if (writable_by_others(st)) {
        return dir_writable_error(dir, st);
    }
    return {};
}

Status write_file_atomically(const std::string& path, const std::string& content) {
    if (path.empty()) {
        return no_config_dir_error();
    }
    auto target = resolve_target(path);
    if (!target) {
        return std::move(target).error();
    }
    const std::string dir = parent_dir(*target);
    PJATS_TRY(ensure_private_dir(dir));

    const std::string::size_type slash = target->rfind('/');
    const std::string base = slash == std::string::npos ? *target : target->substr(slash + 1);
    std::string temp = (dir == "/" ? std::string() : dir) + "/." + base + ".tmp-XXXXXX";
    std::vector<char> name(temp.begin(), temp.end());
    name.push_back('\0');
    // mkostemp creates with O_CREAT|O_EXCL and mode 0600; fchmod below undoes any umask.
    UniqueFd fd(::mkostemp(name.data(), O_CLOEXEC));
    if (!fd) {
        return config_error("cannot create a temporary file in " + dir + ": " + errno_text(errno));
    }
    temp.assign(name.data());
    TempFileGuard guard(temp);
    const std::string failed = "cannot write config file " + *target + ": ";
    if (::fchmod(fd.get(), 0600) != 0) {
        return config_error(failed + errno_text(errno));
    }
    Status written = write_all(fd.get(), content);
    if (!written) {
        return config_error(failed + written.error().message);
    }
    if (::fsync(fd.get()) != 0 || fd.close() != 0) {
        return config_error(failed + errno_text(errno));
    }
    if (::rename(temp.c_str(), target->c_str()) != 0) {
        return config_error(failed + errno_text(errno));
    }
    guard.commit();
    // Make the rename itself durable. Some file systems cannot fsync a directory (EINVAL).
    UniqueFd dir_fd(open_retrying(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir_fd && ::fsync(dir_fd.get()) != 0 && errno != EINVAL) {
        return config_error("cannot sync config directory " + dir + ": " + errno_text(errno));
    }
    return {};
}

} // namespace pjats::profile::detail
