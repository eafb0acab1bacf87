// Email and phone scanners behind redact_text(). Written by hand: bodies can be megabytes
// and std::regex recurses per character.

#include "pii_scan.hpp"

#include <pjats/http/redact.hpp>

#include <algorithm>

namespace pjats::http::detail {

namespace {

bool is_local_char(char c) {
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

bool is_domain_char(char c) {
    return is_alnum(c) || c == '.' || c == '-';
}

} // namespace

std::string mask_emails(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t emitted = 0;
    for (std::size_t at = text.find('@'); at != std::string_view::npos;
         at = text.find('@', at + 1)) {
        if (at < emitted) {
            continue;
        }
        std::size_t local = at;
        while (local > emitted && is_local_char(text[local - 1])) {
            --local;
        }
        std::size_t domain_end = at + 1;
        while (domain_end < text.size() && is_domain_char(text[domain_end])) {
            ++domain_end;
        }
        while (domain_end > at + 1 && text[domain_end - 1] == '.') {
            --domain_end;
        }
        const std::string_view domain = text.substr(at + 1, domain_end - at - 1);
        const std::size_t dot = domain.rfind('.');
        if (local == at || dot == std::string_view::npos || dot == 0
            || domain.size() - dot - 1 < 2) {
            continue;
        }
        out.append(text.substr(emitted, local - emitted));
        out += mask_email(text.substr(local, domain_end - local));
        emitted = domain_end;
    }
    out.append(text.substr(std::min(emitted, text.size())));
    return out;
}

namespace {

bool is_phone_char(char c) {
    return is_digit(c) || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

// A run may start here unless it continues a word, like "a716-4466554400" in a UUID.
bool phone_may_start(std::string_view text, std::size_t i) {
    if (i == 0) {
        return true;
    }
    const char prev = text[i - 1];
    if (is_word(prev)) {
        return false;
    }
    return !((prev == '.' || prev == '-') && i >= 2 && is_word(text[i - 2]));
}

// A bare number right after `"key":` is a JSON number (an id, a timestamp), not a phone.
bool is_json_number_value(std::string_view text, std::size_t begin, std::size_t end) {
    const std::string_view run = text.substr(begin, end - begin);
    if (!std::all_of(run.begin(), run.end(), is_digit)) {
        return false;
    }
    std::size_t k = begin;
    while (k > 0 && is_space(text[k - 1])) {
        --k;
    }
    return k >= 2 && text[k - 1] == ':' && text[k - 2] == '"';
}

// True when `run` holds an IPv4 address ("192.168.100.200", also inside "1.2.3.4 (1.2.3.4)"):
// four dot-separated groups of 1 to 3 digits. Such runs are addresses, not phones.
bool contains_ipv4(std::string_view run) {
    std::size_t i = 0;
    while (i < run.size()) {
        if (!is_digit(run[i]) || (i > 0 && (is_digit(run[i - 1]) || run[i - 1] == '.'))) {
            ++i;
            continue;
        }
        std::size_t k = i;
        int groups = 0;
        while (true) {
            const std::size_t group_begin = k;
            while (k < run.size() && is_digit(run[k])) {
                ++k;
            }
            const std::size_t len = k - group_begin;
            if (len == 0 || len > 3) {
                break;
            }
            ++groups;
            if (groups == 4 || k >= run.size() || run[k] != '.') {
                break;
            }
            ++k;
        }
        const bool bounded = k >= run.size() || (!is_digit(run[k]) && run[k] != '.');
        if (groups == 4 && bounded) {
            return true;
        }
        i = std::max(k, i + 1);
    }
    return false;
}

} // namespace

std::string mask_phones(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (!(is_digit(c) || c == '+' || c == '(') || !phone_may_start(text, i)) {
            out += text[i++];
            continue;
        }
        std::size_t end = c == '+' ? i + 1 : i;
        while (end < text.size() && is_phone_char(text[end])) {
            ++end;
        }
        const std::size_t scanned = end;
        while (end > i && !is_digit(text[end - 1])) {
            --end;
        }
        if (end == i) {
            // No digit up to `scanned`, so no run starting inside it has one either: copy
            // it whole (re-scanning from every '(' was quadratic, found by fuzz_retry_after).
            const std::size_t skip = std::max(scanned, i + 1);
            out.append(text.substr(i, skip - i));
            i = skip;
            continue;
        }
        const std::string_view run = text.substr(i, end - i);
        const auto digits =
            static_cast<std::size_t>(std::count_if(run.begin(), run.end(), is_digit));
        const bool followed_by_word = end < text.size() && is_word(text[end]);
        if (digits < 7 || digits > 15 || followed_by_word || is_json_number_value(text, i, end)
            || contains_ipv4(run)) {
            out.append(run);
            i = end;
            continue;
        }
        std::size_t seen = 0;
        for (const char r : run) {
            if (is_digit(r)) {
                ++seen;
                out += seen + 2 > digits ? r : '*';
            } else {
                out += r;
            }
        }
        i = end;
    }
    return out;
}

} // namespace pjats::http::detail
