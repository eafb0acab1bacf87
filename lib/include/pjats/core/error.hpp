#pragma once

#include <string>

namespace pjats {

// What went wrong, in the categories the CLI maps to exit codes (see cmd/exit_code.hpp).
enum class ErrorKind {
    failure,     // generic failure, e.g. a candidate id that the source does not hold
    usage,       // the caller asked for something impossible (bad flag combination)
    config,      // profile/config missing, unreadable, insecure or malformed
    auth,        // 401/403, missing or rejected credentials
    validation,  // rejected by the API (400/422), or a record that fails local validation
    temporary,   // network error, timeout, 5xx, 429 after retries: safe to re-run
    not_found,   // 404 from an API
    decode,      // a response body the client cannot understand
    conflict,    // another run holds the lock
    interrupted, // SIGINT/SIGTERM
};

// A plain value describing an expected failure. Messages are for humans and never
// contain secrets; `field` names the offending field (JSON path or API field) when known.
struct Error {
    ErrorKind kind = ErrorKind::failure;
    std::string message;
    std::string field;
    int http_status = 0; // 0 when the failure happened before an HTTP status was received
    std::string detail;  // optional extra text (already redacted)
    // True when a non-idempotent request may have reached the server and been acted on
    // (e.g. the connection dropped after the body was sent): the outcome is unknown.
    bool outcome_unknown = false;
};

inline Error make_error(ErrorKind kind, std::string message, std::string field = {}) {
    Error e;
    e.kind = kind;
    e.message = std::move(message);
    e.field = std::move(field);
    return e;
}

// Human name of a kind, e.g. "authentication".
const char* to_string(ErrorKind kind);

} // namespace pjats
