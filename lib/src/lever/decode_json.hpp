#pragma once

// What the Lever decoders share (decode.cpp, outcome.cpp): the guarded parse of a response
// body and decode errors.

#include "json/reader.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace pjats::lever {

inline constexpr std::size_t k_max_json_body = 64u * 1024u * 1024u;

// `problems` as one error of kind `decode`.
Error decode_error(const json::Problems& problems);

// `body` parsed with the guarded reader (at most k_max_json_body); a JSON object or a
// `decode` error naming `origin`.
Result<rapidjson::Document> parse(std::string_view body, const std::string& origin);

} // namespace pjats::lever
