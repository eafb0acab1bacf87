#pragma once

// Scanners that find personal data in free text: email addresses and phone numbers.
// Private to lib/src/http; redact_text() is the public entry point.

#include <string>
#include <string_view>

namespace pjats::http::detail {

inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

inline bool is_alnum(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

inline bool is_word(char c) {
    return is_alnum(c) || c == '_';
}

inline bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Replaces every email address in `text` with mask_email() of it ("j***@example.com").
std::string mask_emails(std::string_view text);

// Masks runs of 7 to 15 digits joined by + ( ) . - or spaces, keeping the last 2 digits:
// "+1 (555) 123-4567" becomes "+* (***) ***-**67". Runs inside words (UUIDs, versions),
// IPv4 addresses and bare JSON numbers after a key ("id": 4012345678) are left alone.
std::string mask_phones(std::string_view text);

} // namespace pjats::http::detail
