#include <pjats/core/error.hpp>

namespace pjats {

std::string hint_text(const Hint& hint, const std::string& program) {
    switch (hint.kind) {
    case Hint::Kind::none:
        return {};
    case Hint::Kind::run:
        return "run `" + program + " " + hint.command + "`"
               + (hint.more.empty() ? std::string() : " " + hint.more);
    case Hint::Kind::fix_with:
        return "fix with: " + hint.command;
    }
    return {};
}

std::string with_hint(const Error& error) {
    const std::string hint = hint_text(error.hint);
    return hint.empty() ? error.message : error.message + "; " + hint;
}

const char* to_string(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::failure:
        return "failure";
    case ErrorKind::usage:
        return "usage";
    case ErrorKind::config:
        return "configuration";
    case ErrorKind::auth:
        return "authentication";
    case ErrorKind::validation:
        return "validation";
    case ErrorKind::temporary:
        return "temporary";
    case ErrorKind::not_found:
        return "not found";
    case ErrorKind::decode:
        return "decode";
    case ErrorKind::conflict:
        return "conflict";
    case ErrorKind::interrupted:
        return "interrupted";
    }
    return "failure";
}

} // namespace pjats
