#pragma once

// The process-wide registry of the user's own secrets (API keys, OAuth client secret,
// access and refresh tokens, the source token). Every secret is registered when it is
// resolved or loaded, and scrub_secrets() removes it, in every form a transport or a
// server could carry it, from text before that text leaves the process: traces, error
// messages, reports, status output and ledger fields. A hostile or buggy server that
// echoes the credential back therefore cannot get it printed or stored.
//
// Thread-safe: registering and scrubbing may happen on any thread at any time.

#include <pjats/core/error.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pjats::http {

// Secrets shorter than this are ignored by register_secret: scrubbing them would mangle
// ordinary output, and no real credential is that short.
inline constexpr std::size_t k_min_secret_length = 8;

// What a scrubbed form is replaced with.
inline constexpr std::string_view k_scrubbed = "[REDACTED]";

// Remembers `secret` and its derived forms (see secret_forms) for scrub_secrets. Empty and
// short (< k_min_secret_length) values and values already registered are ignored.
void register_secret(std::string_view secret);

// Every form of `secret` that scrub_secrets removes: the raw value; its percent-encoded
// forms (upper- and lower-case hex); base64 of "secret", "secret:" (the Basic header of
// an API key used as user name) and ":secret", each padded and unpadded, in the URL-safe
// alphabet and percent-encoded; and JSON-escaped forms of all these. Longest first, no
// duplicates. Empty for a secret shorter than k_min_secret_length.
std::vector<std::string> secret_forms(std::string_view secret);

// `text` with every registered form replaced by k_scrubbed (longest forms first, so
// "Basic <base64>" becomes "Basic [REDACTED]").
std::string scrub_secrets(std::string_view text);

// Scrubs the message, field and detail of `error` in place.
void scrub_error(Error& error);

// How many secrets are registered (for tests and diagnostics).
std::size_t registered_secret_count();

// Forgets every registered secret. For tests only: a program never unlearns a secret.
void clear_secrets_for_testing();

} // namespace pjats::http
