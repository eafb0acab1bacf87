#include "model/format.hpp"

#include <cmath>
#include <cstdio>
#include <vector>

namespace pjats::model {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_space(text[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < text.size() && !is_space(text[i])) {
            ++i;
        }
        if (i > start) {
            words.emplace_back(text.substr(start, i - start));
        }
    }
    return words;
}

void append_part(std::string& out, std::string_view part, std::string_view separator) {
    if (part.empty()) {
        return;
    }
    if (!out.empty()) {
        out += separator;
    }
    out += part;
}

// Joins the non-blank lines of `text` with ", ".
std::string flatten_lines(std::string_view text) {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(start, end - start);
        while (!line.empty() && is_space(line.front())) {
            line.remove_prefix(1);
        }
        while (!line.empty() && is_space(line.back())) {
            line.remove_suffix(1);
        }
        append_part(out, line, ", ");
        start = end + 1;
    }
    return out;
}

} // namespace

NameParts split_name(std::string_view full_name) {
    std::vector<std::string> words = split_words(full_name);
    NameParts parts;
    if (words.empty()) {
        return parts;
    }
    parts.last = words.back();
    words.pop_back();
    for (const std::string& word : words) {
        append_part(parts.first, word, " ");
    }
    return parts;
}

std::string short_location(const Location& location) {
    std::string out;
    append_part(out, location.city, ", ");
    append_part(out, location.region, ", ");
    append_part(out, location.country_code, ", ");
    return out;
}

std::string one_line_address(const Location& location) {
    std::string region_line = location.region;
    append_part(region_line, location.postal_code, " ");
    std::string out = flatten_lines(location.address);
    append_part(out, location.city, ", ");
    append_part(out, region_line, ", ");
    append_part(out, location.country_code, ", ");
    return out;
}

std::string format_number(double number) {
    char buf[64];
    if (std::isfinite(number) && std::fabs(number) < 1e15 && number == std::floor(number)) {
        std::snprintf(buf, sizeof buf, "%.0f", number);
    } else {
        std::snprintf(buf, sizeof buf, "%g", number);
    }
    return buf;
}

std::string format_salary(const Salary& salary) {
    std::string out;
    if (salary.min && salary.max) {
        out = format_number(*salary.min) + "-" + format_number(*salary.max);
    } else if (salary.min) {
        out = "from " + format_number(*salary.min);
    } else if (salary.max) {
        out = "up to " + format_number(*salary.max);
    } else {
        return out;
    }
    append_part(out, salary.currency, " ");
    if (!salary.period.empty()) {
        out += " per ";
        out += salary.period;
    }
    return out;
}

} // namespace pjats::model
