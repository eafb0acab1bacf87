#include <pjats/core/exit_code.hpp>

namespace pjats {

ExitCode exit_code_for(const Error& error) {
    switch (error.kind) {
    case ErrorKind::usage:
        return ExitCode::usage;
    case ErrorKind::config:
        return ExitCode::config;
    case ErrorKind::auth:
        return ExitCode::auth;
    case ErrorKind::validation:
        return ExitCode::rejected;
    case ErrorKind::temporary:
        return ExitCode::temporary;
    case ErrorKind::conflict:
        return ExitCode::locked;
    case ErrorKind::interrupted:
        return ExitCode::interrupted;
    case ErrorKind::not_found:
    case ErrorKind::decode:
    case ErrorKind::failure:
        return ExitCode::failure;
    }
    return ExitCode::failure;
}

} // namespace pjats
