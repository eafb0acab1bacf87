#pragma once

#include <pjats/core/result.hpp>

#include <string>
#include <string_view>

namespace pjats::http {

struct Url {
    std::string scheme; // lower case
    std::string host;   // lower case, without brackets for IPv6
    int port = 0;       // 0 when absent
    std::string path;   // includes query, starts with '/' (or empty)
};

Result<Url> parse_url(std::string_view text);

// The API base URL as the ledger names an account's server: scheme and host in lower case,
// the scheme's default port dropped (443, 80), the API suffixes `/v1/partner` and `/v1` and
// trailing slashes removed, no query or fragment; e.g. "HTTPS://API.Lever.co:443/v1/" →
// "https://api.lever.co". Text that is no URL comes back trimmed of trailing slashes.
std::string canonical_base_url(std::string_view text);

// 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(std::string_view host);

// Accepts https:// anywhere and http:// only for loopback hosts; anything else is a
// config error naming `what` (e.g. "greenhouse base_url").
Status check_base_url(std::string_view url, std::string_view what);

// Percent-encodes everything except RFC 3986 unreserved characters.
std::string url_encode(std::string_view text);

// Joins a base URL and a path with exactly one '/' between them.
std::string join_url(std::string_view base, std::string_view path);

// Basic credentials value "Basic base64(user:password)".
std::string basic_auth(std::string_view user, std::string_view password);

std::string base64_encode(std::string_view data);

} // namespace pjats::http
