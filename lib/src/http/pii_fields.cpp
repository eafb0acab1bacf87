#include "pii_fields.hpp"
#include "pii_scan.hpp"

#include <algorithm>
#include <array>

namespace pjats::http::detail {

namespace {

// "value": Lever's note body (the candidate card) and phone values.
constexpr std::array<std::string_view, 9> k_person_keys = {
    "first_name", "last_name", "full_name", "name", "headline", "address", "location", "notes",
    "value"};


// Length of the UTF-8 character starting at text[i] (1 for ASCII or a stray byte).
std::size_t char_length(std::string_view text, std::size_t i) {
    std::size_t n = 1;
    while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) {
        ++n;
    }
    return n;
}

} // namespace

std::string mask_candidate_fields(std::string_view json) {
    std::string out;
    out.reserve(json.size());
    std::size_t i = 0;
    while (i < json.size()) {
        if (json[i] != '"') {
            out += json[i++];
            continue;
        }
        const std::size_t key_end = json_string_end(json, i + 1);
        const std::string_view key = json.substr(i + 1, key_end - i - 1);
        out.append(json.substr(i, std::min(key_end + 1, json.size()) - i));
        i = key_end + 1;
        if (i >= json.size()) {
            break;
        }
        const std::size_t colon = skip_spaces(json, i);
        if (std::find(k_person_keys.begin(), k_person_keys.end(), key) == k_person_keys.end()
            || colon >= json.size() || json[colon] != ':') {
            continue; // a value, or a key whose value is kept
        }
        const std::size_t quote = skip_spaces(json, colon + 1);
        if (quote >= json.size() || json[quote] != '"') {
            continue; // not a string: copied as it comes
        }
        const std::size_t value_end = json_string_end(json, quote + 1);
        out.append(json.substr(i, quote + 1 - i));
        if (value_end > quote + 1) {
            const std::size_t first = json[quote + 1] == '\\' ? 2 : char_length(json, quote + 1);
            out.append(json.substr(quote + 1, first));
            out += "***";
        }
        if (value_end < json.size()) {
            out += '"';
        }
        i = value_end + 1;
    }
    return out;
}

} // namespace pjats::http::detail
