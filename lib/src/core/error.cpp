#include <pjats/core/error.hpp>

namespace pjats {

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
