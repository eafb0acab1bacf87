#include <pjats/source/source.hpp>

#include <string_view>

namespace pjats::source {

namespace {

constexpr std::size_t k_max_id_length = 128;
constexpr std::size_t k_max_echo_length = 40;

bool is_id_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.'
           || c == '_' || c == '-';
}

// The id as it may be shown in a message: printable ASCII only, truncated.
std::string printable(std::string_view id) {
    std::string out;
    for (char c : id.substr(0, k_max_echo_length)) {
        out += (c >= 0x20 && c < 0x7f) ? c : '?';
    }
    if (id.size() > k_max_echo_length) {
        out += "...";
    }
    return out;
}

} // namespace

Status check_record_id(const std::string& id) {
    const char* problem = nullptr;
    if (id.empty()) {
        problem = "is empty";
    } else if (id.size() > k_max_id_length) {
        problem = "is longer than 128 characters";
    } else if (id == "." || id == "..") {
        problem = "may not be \".\" or \"..\"";
    } else {
        for (char c : id) {
            if (!is_id_char(c)) {
                problem = "may only hold letters, digits, '.', '_' and '-'";
                break;
            }
        }
    }
    if (problem == nullptr) {
        return {};
    }
    return make_error(ErrorKind::usage, "invalid id \"" + printable(id) + "\": " + problem);
}

} // namespace pjats::source
