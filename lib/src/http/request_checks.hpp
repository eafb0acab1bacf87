#pragma once

// Request checks and redirect rules of the curl transport that need no libcurl.

#include <pjats/http/http.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pjats::http::detail {

// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

// Refuses what must never reach the network: a method that is not a token, header names or
// values that would inject lines, and form files that cannot be read. Messages name the
// header or form field, never a value.
Status validate_request(const Request& request);

// The host of `url` for messages, or "the server" when it does not parse.
std::string host_of(std::string_view url);

// Same scheme, host and port (default ports made explicit).
bool same_origin(std::string_view a, std::string_view b);

// 301, 302, 307 and 308: the redirects the transport follows (303 is returned as is).
bool is_redirect(long status);

// "[multipart/form-data: field name, file resume (application/pdf)]" for the trace.
std::string describe_form(const std::vector<FormPart>& form);

} // namespace pjats::http::detail
