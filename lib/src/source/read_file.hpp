#pragma once

// Reading record files with a size cap, shared by the dir source and read_record_file.

#include <pjats/core/result.hpp>

#include <cstddef>
#include <filesystem>
#include <istream>
#include <string>

namespace pjats::source {

// Reads all of `in`, failing with a `validation` error naming `origin` when it holds more
// than `max_bytes`, and with a `failure` when reading fails.
Result<std::string> read_capped(std::istream& in, const std::string& origin, std::size_t max_bytes);

// Opens and reads `path` with read_capped. A missing file has kind `not_found`; a
// directory or an unreadable file is a `failure` naming `path`.
Result<std::string> read_file_capped(const std::filesystem::path& path,
                                     const std::string& origin,
                                     std::size_t max_bytes);

} // namespace pjats::source
