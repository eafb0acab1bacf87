#pragma once

#include <string>
#include <utility>

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

// A remedy the library suggests for an Error, kept apart from the message so that the
// library's texts carry no CLI wording and cmd/ renders it (Context::fail, `status`).
struct Hint {
    enum class Kind {
        none,
        run,      // run `pj-ats <command>` <more>
        fix_with, // a shell command that fixes it, e.g. "chmod 600 PATH"
    };
    Kind kind = Kind::none;
    std::string command; // run: pj-ats arguments ("configure lever --oauth"); fix_with: the command
    std::string more;    // run: text after the command, e.g. "or set PJ_ATS_GREENHOUSE_API_KEY"

    bool operator==(const Hint&) const = default;
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
    Hint hint; // what the user can do about it (rendered by with_hint)
};

inline Error make_error(ErrorKind kind, std::string message, std::string field = {}) {
    Error e;
    e.kind = kind;
    e.message = std::move(message);
    e.field = std::move(field);
    return e;
}

// `error` with a `run` hint: `pj-ats <command>` would fix it; `more` follows it ("or ...").
inline Error with_run_hint(Error error, std::string command, std::string more = {}) {
    error.hint.kind = Hint::Kind::run;
    error.hint.command = std::move(command);
    error.hint.more = std::move(more);
    return error;
}

// `error` with a `fix_with` hint: the shell command `command` would fix it.
inline Error with_fix_hint(Error error, std::string command) {
    error.hint.kind = Hint::Kind::fix_with;
    error.hint.command = std::move(command);
    return error;
}

// The hint as a sentence: "run `pj-ats CMD`[ MORE]" or "fix with: CMD"; "" for none.
// `program` is how the user invokes pj-ats (e.g. "pj-ats --profile work").
std::string hint_text(const Hint& hint, const std::string& program = "pj-ats");

// The message followed by its hint, as the CLI prints it:
// "MESSAGE; run `pj-ats CMD`" or "MESSAGE; fix with: CMD".
std::string with_hint(const Error& error);

// Human name of a kind, e.g. "authentication".
const char* to_string(ErrorKind kind);

} // namespace pjats
