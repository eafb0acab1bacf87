#pragma once

#include "context.hpp"

#include <pjats/core/result.hpp>

#include <string>

namespace pjats::cli {

// How the user hands a secret to `configure` (never as a command-line value).
struct SecretFlags {
    bool from_stdin = false; // --…-stdin: read all of standard input
    std::string file;        // --…-file F: read the file
};

// Reads the secret named `what` ("API key") from stdin or a file, or prompts with echo
// off when neither is given and the context is interactive. Returns an empty string when
// nothing was given and prompting is not allowed. Trailing whitespace is trimmed; an
// empty secret from stdin or a file is a usage error.
Result<std::string> read_secret(const Context& ctx, const SecretFlags& flags, const std::string& what);

// Reads a whole file for a secret, refusing unreadable or oversized files.
Result<std::string> read_secret_file(const std::string& path, const std::string& what);

} // namespace pjats::cli
