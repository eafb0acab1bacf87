#pragma once

#include <pjats/core/error.hpp>

namespace pjats {

// The process exit codes (listed in --help and the man page).
enum class ExitCode : int {
    ok = 0,
    failure = 1,     // anything else that failed, e.g. an unknown candidate id
    usage = 2,       // bad flags or arguments
    partial = 3,     // some candidates sent, some failed
    auth = 4,        // authentication/permission: re-run configure
    config = 5,      // configuration error (profile, permissions, source, ledger)
    rejected = 6,    // rejected by the API or by local validation of a record
    temporary = 7,   // network, 5xx, rate limit after retries: safe to re-run
    locked = 8,      // another run holds the lock
    interrupted = 130,
};

// The one place mapping an Error to an exit code.
ExitCode exit_code_for(const Error& error);

inline int to_int(ExitCode code) {
    return static_cast<int>(code);
}

} // namespace pjats
