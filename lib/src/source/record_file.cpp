#include "source/read_file.hpp"

#include <pjats/model/record.hpp>
#include <pjats/source/source.hpp>

#include <filesystem>
#include <iostream>

namespace pjats::source {

Result<model::Candidate> read_record_file(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (path == "-") {
        Result<std::string> text = read_capped(std::cin, "stdin", model::k_max_record_bytes);
        if (!text) {
            return std::move(text).error();
        }
        const fs::path cwd = fs::current_path(ec);
        return model::parse_record(*text, "stdin", ec ? std::string(".") : cwd.string());
    }
    const fs::path file(path);
    Result<std::string> text = read_file_capped(file, path, model::k_max_record_bytes);
    if (!text) {
        Error error = std::move(text).error();
        if (error.kind == ErrorKind::not_found) {
            // A file named on the command line that does not exist is the caller's mistake,
            // not a missing candidate.
            error.kind = ErrorKind::failure;
        }
        return error;
    }
    fs::path base = fs::absolute(file, ec).parent_path();
    if (ec) {
        base = file.parent_path();
    }
    return model::parse_record(*text, path, base.string());
}

} // namespace pjats::source
