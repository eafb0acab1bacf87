#pragma once

// Small HTTP helpers shared by the fakes: Basic auth, URL coding, media types, ids, time.

#include <httplib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pjats::fakes {

// Standard base64 (with padding).
std::string base64_encode(std::string_view data);

// Strict standard base64 decoding: only the alphabet, correct padding, no whitespace.
std::optional<std::string> base64_decode(std::string_view text);

// Unpadded base64url, as used in JWTs.
std::string base64url_encode(std::string_view data);

// True when `header` is exactly "Basic " + base64(key + ":") (scheme case-insensitive):
// the key as user name and an empty password, the colon inside the base64.
bool is_basic_auth_for(std::string_view header, std::string_view key);

// The user (the part before the first ':') of a "Basic base64(user:password)" header, or
// nullopt for other schemes and malformed values.
std::optional<std::string> basic_auth_user(std::string_view header);

// The token of an "Authorization: Bearer <token>" header, or nullopt for other schemes.
std::optional<std::string> bearer_token(std::string_view header);

// The media type of a Content-Type value, lower-cased, without parameters.
std::string media_type(std::string_view content_type);

// True when the request's Content-Type media type equals `mime`.
bool has_media_type(const httplib::Request& req, std::string_view mime);

// Percent-encoding of every byte outside [A-Za-z0-9-._~].
std::string url_encode(std::string_view text);

// Percent-decoding ('+' stays '+'); nullopt on a malformed escape.
std::optional<std::string> url_decode(std::string_view text);

// Parses an application/x-www-form-urlencoded body ('+' is a space).
httplib::Params parse_form(const std::string& body);

// `n` random bytes as lower-case hex (OpenSSL RAND_bytes).
std::string random_hex(std::size_t n);

// `n` random bytes as unpadded base64url.
std::string random_base64url(std::size_t n);

// A random RFC 4122 version-4 UUID.
std::string random_uuid();

// A UUID-shaped id derived deterministically from `seed` (for generated sample data).
std::string stable_uuid(std::uint64_t seed);

// Milliseconds since the Unix epoch.
std::int64_t now_ms();

// Parses a whole decimal integer (optional leading '-'); nullopt otherwise.
std::optional<std::int64_t> parse_int(std::string_view text);

// ASCII lower-case copy.
std::string lower(std::string_view text);

} // namespace pjats::fakes
