#include "source/read_file.hpp"

#include <array>
#include <cerrno>
#include <fstream>
#include <system_error>

namespace pjats::source {

namespace {

std::string errno_text(int code) {
    return std::error_code(code, std::generic_category()).message();
}

} // namespace

Result<std::string>
read_capped(std::istream& in, const std::string& origin, std::size_t max_bytes) {
    std::string data;
    std::array<char, 64 * 1024> chunk{};
    while (in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const std::streamsize got = in.gcount();
        if (got <= 0) {
            break;
        }
        data.append(chunk.data(), static_cast<std::size_t>(got));
        if (data.size() > max_bytes) {
            return make_error(ErrorKind::validation,
                              origin + ": record is larger than the limit of "
                                  + std::to_string(max_bytes) + " bytes");
        }
    }
    if (in.bad()) {
        return make_error(ErrorKind::failure, origin + ": read error");
    }
    return data;
}

Result<std::string> read_file_capped(const std::filesystem::path& path,
                                     const std::string& origin,
                                     std::size_t max_bytes) {
    std::error_code ec;
    const std::filesystem::file_status status = std::filesystem::status(path, ec);
    if (status.type() == std::filesystem::file_type::not_found) {
        return make_error(ErrorKind::not_found, path.string() + ": no such file");
    }
    if (ec) {
        return make_error(ErrorKind::failure, "cannot read " + path.string() + ": " + ec.message());
    }
    if (std::filesystem::is_directory(status)) {
        return make_error(ErrorKind::failure,
                          "cannot read " + path.string() + ": it is a directory");
    }
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in.is_open()) {
        const int code = errno;
        return make_error(ErrorKind::failure,
                          "cannot read " + path.string() + ": "
                              + (code != 0 ? errno_text(code) : std::string("open failed")));
    }
    return read_capped(in, origin, max_bytes);
}

} // namespace pjats::source
