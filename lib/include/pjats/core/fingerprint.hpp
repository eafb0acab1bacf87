#pragma once

#include <string>
#include <string_view>

namespace pjats {

// SHA-256 of `data`, as 64 lower-case hex digits.
std::string sha256_hex(std::string_view data);

// A short, non-reversible name for a secret ("sha256:" and 16 hex digits), to tell two
// credentials apart without storing either.
std::string fingerprint(std::string_view secret);

} // namespace pjats
