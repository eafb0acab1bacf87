// Redaction for the --verbose trace and error details. Hand-written scanners instead of
// std::regex: bodies can be megabytes, and std::regex recurses per character.
//
// redact_text runs, in order: JSON values of secret keys, key=value pairs of secret keys,
// Bearer/Basic credentials, email addresses, phone numbers. Each pass only ever shortens or
// masks text, so later passes cannot bring a secret back.

#include "pii_fields.hpp"
#include "pii_scan.hpp"

#include <pjats/http/redact.hpp>
#include <pjats/http/secrets.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace pjats::http {

namespace {

using detail::is_alnum;
using detail::json_string_end;
using detail::skip_spaces;
using detail::is_word;
using detail::mask_emails;
using detail::mask_phones;

constexpr std::string_view k_redacted = "[REDACTED]";

std::string to_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return out;
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Lower case without '_' and '-', so "api_key", "apiKey" and "Api-Key" compare equal.
std::string normalize_key(std::string_view key) {
    std::string out;
    for (const char c : key) {
        if (c != '_' && c != '-') {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return out;
}

bool is_secret_key(std::string_view key) {
    static constexpr std::array<std::string_view, 9> k_exact = {"code",
                                                                "token",
                                                                "secret",
                                                                "password",
                                                                "passwd",
                                                                "apikey",
                                                                "clientsecret",
                                                                "authorization",
                                                                "privatekey"};
    const std::string n = normalize_key(key);
    if (std::find(k_exact.begin(), k_exact.end(), n) != k_exact.end()) {
        return true;
    }
    return ends_with(n, "token") || ends_with(n, "secret") || ends_with(n, "password")
           || ends_with(n, "apikey");
}

// Query parameters that are masked in URLs; `state` and `email` are not secrets in a body
// but identify a user or an OAuth flow in a URL.
bool is_secret_query_key(std::string_view key) {
    const std::string n = normalize_key(key);
    return is_secret_key(key) || n == "state" || n == "email" || n == "key" || n == "signature";
}

// A Lever posting state filter (`GET /postings?state=published`) is not an OAuth `state`,
// which is random: those few words are shown.
bool is_posting_state_filter(std::string_view key, std::string_view value) {
    static const std::array<std::string_view, 6> k_states = {
        "published", "internal", "closed", "draft", "pending", "rejected"};
    return normalize_key(key) == "state"
           && std::find(k_states.begin(), k_states.end(), value) != k_states.end();
}


// "key": "value" (also \"key\":\"value\" inside an embedded JSON string) and "key": 123.
std::string redact_json_values(std::string_view text) {
    constexpr std::size_t k_max_key = 64;
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] != '"') {
            out += text[i++];
            continue;
        }
        const std::size_t close = text.find('"', i + 1);
        if (close == std::string_view::npos || close - i - 1 > k_max_key) {
            out += text[i++];
            continue;
        }
        std::string_view key = text.substr(i + 1, close - i - 1);
        const bool escaped = !key.empty() && key.back() == '\\';
        if (escaped) {
            key.remove_suffix(1);
        }
        std::size_t k = skip_spaces(text, close + 1);
        if (k >= text.size() || text[k] != ':' || !is_secret_key(key)) {
            out += text[i++];
            continue;
        }
        k = skip_spaces(text, k + 1);
        std::size_t value_begin = k;
        std::size_t value_end = k;
        if (escaped && text.substr(k, 2) == "\\\"") {
            value_begin = k + 2;
            value_end = std::min(text.find("\\\"", value_begin), text.size());
        } else if (!escaped && k < text.size() && text[k] == '"') {
            value_begin = k + 1;
            value_end = json_string_end(text, value_begin);
        } else {
            while (value_end < text.size()
                   && (is_alnum(text[value_end]) || text[value_end] == '.' || text[value_end] == '-'
                       || text[value_end] == '+')) {
                ++value_end;
            }
        }
        // true, false and null say whether something is secret, not what it is
        // (Lever's note has "secret": false).
        const std::string_view value = text.substr(value_begin, value_end - value_begin);
        const bool literal = !escaped && k < text.size() && text[k] != '"'
                             && (value == "true" || value == "false" || value == "null");
        out.append(text.substr(i, value_begin - i));
        if (literal) {
            out.append(value);
        } else if (value_end > value_begin) {
            out += k_redacted;
        }
        i = value_end;
    }
    return out;
}

bool starts_pair(std::string_view text, std::size_t i) {
    static constexpr std::string_view k_before = "?&;, \t\r\n\"'{";
    return i == 0 || k_before.find(text[i - 1]) != std::string_view::npos;
}

// key=value pairs (form bodies, query strings in messages) of secret keys.
std::string redact_pairs(std::string_view text, bool (*is_secret)(std::string_view)) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_word(text[i]) || !starts_pair(text, i)) {
            out += text[i++];
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && (is_word(text[end]) || text[end] == '-' || text[end] == '.')) {
            ++end;
        }
        if (end < text.size() && text[end] == '=' && is_secret(text.substr(i, end - i))) {
            const std::size_t value_end =
                std::min(text.find_first_of("& \t\r\n\"'#;,", end + 1), text.size());
            out.append(text.substr(i, end + 1 - i));
            if (value_end > end + 1) {
                out += k_redacted;
            }
            i = value_end;
            continue;
        }
        out.append(text.substr(i, end - i));
        i = end;
    }
    return out;
}

bool is_credential_char(char c) {
    return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/'
           || c == '=';
}

// Whether the word after "Basic" can be a credential: 16+ characters, or one with
// a digit or a base64/token symbol. A short plain word is prose ("Invalid Basic Auth
// credentials"); a registered secret is scrubbed whatever its shape (scrub_secrets).
bool looks_like_credential(std::string_view word) {
    if (word.size() >= 16) {
        return true;
    }
    return word.size() >= 4
           && std::any_of(word.begin(), word.end(), [](char c) {
                  return (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~'
                         || c == '+' || c == '/' || c == '=';
              });
}

// "Bearer xyz" / "Basic xyz" (any case) keep the scheme word.
std::string redact_credentials(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t word_len = 0;
        if (i == 0 || !is_word(text[i - 1])) {
            const std::string head = to_lower(text.substr(i, 6));
            if (head == "bearer") {
                word_len = 6;
            } else if (head.substr(0, 5) == "basic") {
                word_len = 5;
            }
        }
        if (word_len == 0) {
            out += text[i++];
            continue;
        }
        std::size_t k = i + word_len;
        while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) {
            ++k;
        }
        std::size_t end = k;
        while (end < text.size() && is_credential_char(text[end])) {
            ++end;
        }
        const bool basic = word_len == 5;
        if (k == i + word_len || end == k
            || (basic && !looks_like_credential(text.substr(k, end - k)))) {
            out.append(text.substr(i, word_len));
            i += word_len;
            continue;
        }
        out.append(text.substr(i, k - i));
        out += k_redacted;
        i = end;
    }
    return out;
}

std::string redact_query(std::string_view query) {
    std::string out;
    std::size_t begin = 0;
    while (begin <= query.size()) {
        const std::size_t end = std::min(query.find('&', begin), query.size());
        const std::string_view param = query.substr(begin, end - begin);
        const std::size_t eq = param.find('=');
        if (eq != std::string_view::npos && is_secret_query_key(param.substr(0, eq))
            && !is_posting_state_filter(param.substr(0, eq), param.substr(eq + 1))) {
            out.append(param.substr(0, eq + 1));
            out += k_redacted;
        } else {
            out += mask_emails(param);
        }
        if (end < query.size()) {
            out += '&';
        }
        begin = end + 1;
    }
    return out;
}

bool is_token_header(std::string_view normalized) {
    static constexpr std::array<std::string_view, 7> k_parts = {
        "token", "secret", "apikey", "password", "session", "signature", "credential"};
    return std::any_of(k_parts.begin(), k_parts.end(), [normalized](std::string_view part) {
        return normalized.find(part) != std::string_view::npos;
    });
}

} // namespace

std::string redact_header(std::string_view name, std::string_view value) {
    const std::string lower = to_lower(name);
    if (lower == "authorization" || lower == "proxy-authorization") {
        const std::size_t space = value.find(' ');
        if (space == std::string_view::npos || space == 0) {
            return std::string(k_redacted);
        }
        return std::string(value.substr(0, space)) + " " + std::string(k_redacted);
    }
    if (lower == "cookie" || lower == "set-cookie" || is_token_header(normalize_key(name))) {
        return std::string(k_redacted);
    }
    if (lower == "location" || lower == "content-location" || lower == "referer") {
        return redact_url(value);
    }
    return mask_emails(value);
}

std::string mask_email(std::string_view email) {
    const std::size_t at = email.rfind('@');
    if (at == std::string_view::npos) {
        return "***";
    }
    std::string out;
    if (at > 0) {
        out += email.front();
    }
    out += "***";
    out.append(email.substr(at));
    return out;
}

std::string redact_text(std::string_view text) {
    std::string out = redact_json_values(scrub_secrets(text));
    out = detail::mask_candidate_fields(out); // names, addresses, notes
    out = redact_pairs(out, &is_secret_key);
    out = redact_credentials(out);
    out = mask_emails(out);
    return mask_phones(out);
}

std::string redact_url(std::string_view url) {
    std::string out;
    std::string_view rest = url;
    const std::size_t scheme_end = url.find("://");
    if (scheme_end != std::string_view::npos) {
        const std::size_t authority_begin = scheme_end + 3;
        const std::size_t authority_end =
            std::min(url.find_first_of("/?#", authority_begin), url.size());
        const std::string_view authority =
            url.substr(authority_begin, authority_end - authority_begin);
        const std::size_t at = authority.rfind('@');
        out.append(url.substr(0, authority_begin));
        if (at != std::string_view::npos) {
            out += k_redacted;
            out.append(authority.substr(at));
        } else {
            out.append(authority);
        }
        rest = url.substr(authority_end);
    }
    const std::size_t hash = rest.find('#');
    const std::string_view fragment =
        hash == std::string_view::npos ? std::string_view{} : rest.substr(hash + 1);
    rest = rest.substr(0, hash);
    const std::size_t question = rest.find('?');
    out += mask_emails(rest.substr(0, question));
    if (question != std::string_view::npos) {
        out += '?';
        out += redact_query(rest.substr(question + 1));
    }
    if (hash != std::string_view::npos) {
        out += '#';
        out += redact_query(fragment);
    }
    return out;
}

} // namespace pjats::http
