#pragma once

// Helpers shared by the profile store tests: a throwaway directory and an environment
// variable that is restored when the test ends.

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

namespace pjats::test {

// A fresh directory under /tmp, removed with its content on destruction.
class TempDir {
  public:
    TempDir() {
        char name[] = "/tmp/pjats-profile-test-XXXXXX";
        if (::mkdtemp(name) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = name;
    }

    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    ~TempDir() {
        std::error_code ignored;
        std::filesystem::permissions(m_path, std::filesystem::perms::owner_all, ignored);
        std::filesystem::remove_all(m_path, ignored);
    }

    const std::string& path() const {
        return m_path;
    }

    std::string file(const std::string& name) const {
        return m_path + "/" + name;
    }

  private:
    std::string m_path;
};

// Sets (or unsets, for nullopt) an environment variable until destruction.
class EnvGuard {
  public:
    EnvGuard(std::string name, const std::optional<std::string>& value)
        : m_name(std::move(name)) {
        if (const char* old = std::getenv(m_name.c_str())) {
            m_old = old;
        }
        if (value) {
            ::setenv(m_name.c_str(), value->c_str(), 1);
        } else {
            ::unsetenv(m_name.c_str());
        }
    }

    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;

    ~EnvGuard() {
        if (m_old) {
            ::setenv(m_name.c_str(), m_old->c_str(), 1);
        } else {
            ::unsetenv(m_name.c_str());
        }
    }

  private:
    std::string m_name;
    std::optional<std::string> m_old;
};

// Writes `content` to `path` and sets its mode.
inline void write_file(const std::string& path, const std::string& content, mode_t mode) {
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << content;
    }
    ::chmod(path.c_str(), mode);
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Names in directory `dir`, without "." and "..".
inline std::set<std::string> list_dir(const std::string& dir) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        names.insert(entry.path().filename().string());
    }
    return names;
}

inline mode_t mode_of(const std::string& path) {
    struct stat st {};

    ::stat(path.c_str(), &st);
    return st.st_mode & 07777;
}

} // namespace pjats::test
