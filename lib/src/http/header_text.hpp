#pragma once

// Header text helpers shared by the curl transport (parsing response headers) and the
// retry policy (parsing Retry-After). Private to lib/src/http.

#include <string_view>

namespace pjats::http::detail {

// `text` without leading spaces/tabs and without trailing spaces, tabs, CR or LF (a raw
// header line as libcurl hands it over keeps its CRLF).
inline std::string_view trim_header_text(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty()
           && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'
               || text.back() == '\n')) {
        text.remove_suffix(1);
    }
    return text;
}

} // namespace pjats::http::detail
