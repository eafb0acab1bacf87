#include <pjats/source/id_list.hpp>

#include <filesystem>
#include <fstream>

namespace pjats::source {

std::optional<std::string> id_from_line(std::string_view line) {
    line = line.substr(0, line.find('#'));
    const auto start = line.find_first_not_of(" \t\r");
    if (start == std::string_view::npos) {
        return std::nullopt;
    }
    const auto end = line.find_last_not_of(" \t\r");
    return std::string(line.substr(start, end - start + 1));
}

std::optional<std::int64_t> count_ids_in_file(const std::string& path) {
    std::error_code ec;
    if (path == "-" || !std::filesystem::is_regular_file(path, ec)) {
        return std::nullopt;
    }
    std::ifstream in(path);
    if (!in) {
        return std::nullopt;
    }
    std::int64_t count = 0;
    for (std::string line; std::getline(in, line);) {
        count += id_from_line(line) ? 1 : 0;
    }
    return count;
}

} // namespace pjats::source
