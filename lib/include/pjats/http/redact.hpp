#pragma once

#include <string>
#include <string_view>

namespace pjats::http {

// Value to print for a header in a trace: Authorization, Proxy-Authorization, Cookie,
// Set-Cookie and token-bearing headers become "[REDACTED]" (keeping the scheme word,
// e.g. "Basic [REDACTED]"); On-Behalf-Of and other email-bearing values are masked.
std::string redact_header(std::string_view name, std::string_view value);

// Masks an email address as "j***@example.com".
std::string mask_email(std::string_view email);

// Masks PII and secrets inside free text or a JSON body: email addresses, phone numbers,
// values of JSON keys that look like secrets (access_token, refresh_token, client_secret,
// api_key, password, token, code), bearer/basic credentials and every secret registered
// with register_secret (secrets.hpp), in any of its derived forms.
std::string redact_text(std::string_view text);

// Replaces query-string (and fragment) values of secret-looking parameters (token, code,
// client_secret, api_key, state, email, refresh_token, access_token, ...) in a URL with
// "[REDACTED]"; user info becomes "[REDACTED]@" and emails in the path are masked.
std::string redact_url(std::string_view url);

} // namespace pjats::http
