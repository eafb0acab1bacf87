#pragma once

// Test helpers shared by every unit-test area: a throwaway directory and an environment
// variable guard.

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace pjats::test {

// A fresh private directory under /tmp, removed with its content on destruction (even
// when a test made parts of it unreadable).
class TempDir {
  public:
    TempDir() {
        char name[] = "/tmp/pjats-test-XXXXXX";
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

} // namespace pjats::test
