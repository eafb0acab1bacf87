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

// The index of the closing quote of the JSON string whose content starts at `begin`, or
// text.size() when unterminated (the rest is then treated as the value).
inline std::size_t json_string_end(std::string_view text, std::size_t begin) {
    for (std::size_t i = begin; i < text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;
        } else if (text[i] == '"') {
            return i;
        }
    }
    return text.size();
}

// The first index at or after `i` that is not JSON whitespace.
inline std::size_t skip_spaces(std::string_view text, std::size_t i) {
    while (i < text.size() && is_space(text[i])) {
        ++i;
    }
    return i;
}

// Replaces every email address in `text` with mask_email() of it ("j***@example.com").
std::string mask_emails(std::string_view text);

// Masks runs of 7 to 15 digits joined by + ( ) . - or spaces, keeping the last 2 digits:
// "+1 (555) 123-4567" becomes "+* (***) ***-**67". Runs inside words (UUIDs, versions),
// IPv4 addresses and bare JSON numbers after a key ("id": 4012345678) are left alone.
std::string mask_phones(std::string_view text);

} // namespace pjats::http::detail
