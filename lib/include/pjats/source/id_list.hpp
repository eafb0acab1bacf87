#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pjats::source {

// One line of an `--ids-from` list: the id with surrounding blanks and any `#` comment
// (whole-line or trailing) removed; nullopt for a blank or comment-only line.
// "  1043  # re-send\r" -> "1043".
std::optional<std::string> id_from_line(std::string_view line);

// How many ids the list at `path` holds, when it is a regular file that can be read (read
// once in full before sending, for the progress total); nullopt for a pipe, a device or
// stdin ("-"), which cannot be read twice.
std::optional<std::int64_t> count_ids_in_file(const std::string& path);

} // namespace pjats::source
