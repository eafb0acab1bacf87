#pragma once

// Responses that never fit in memory, for fault injection: a body whose Content-Length
// promises 1 GiB, and a chunked body that never ends. Both stream filler bytes in small
// pieces until the client disconnects (or stops reading until httplib's write timeout), so
// the fake itself needs neither the memory nor a busy loop.

#include <httplib.h>

#include <cstddef>

namespace pjats::fakes {

// What a `huge_body` response declares as its Content-Length.
inline constexpr std::size_t k_huge_body_bytes = std::size_t{1} << 30;

// Makes `res` a 200 JSON response with Content-Length k_huge_body_bytes whose body is
// streamed until the client goes away.
void huge_response(httplib::Response& res);

// Makes `res` a 200 JSON response with chunked transfer encoding that never ends.
void endless_response(httplib::Response& res);

} // namespace pjats::fakes
