#pragma once

#include "support/temp_env.hpp"

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

// Lines in the file at `path` (0 when it does not exist), e.g. runs a helper logged.
inline std::size_t line_count(const std::string& path) {
    std::size_t lines = 0;
    for (char c : read_file(path)) {
        lines += c == '\n' ? 1 : 0;
    }
    return lines;
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
