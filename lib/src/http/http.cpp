// Plain-data helpers of the HTTP interface that need no libcurl.

#include <pjats/http/http.hpp>

#include <algorithm>
#include <cctype>

namespace pjats::http {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x))
                      == std::tolower(static_cast<unsigned char>(y));
           });
}

} // namespace

std::optional<std::string> Response::header(std::string_view name) const {
    for (const Header& h : headers) {
        if (iequals(h.name, name)) {
            return h.value;
        }
    }
    return std::nullopt;
}

std::string default_user_agent() {
    return std::string("pj-ats/") + PJATS_VERSION;
}

} // namespace pjats::http
