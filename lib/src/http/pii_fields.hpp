#pragma once

// Masks the candidate fields of a JSON body that name or locate a person, the way an email
// is masked: the first character is kept, the rest becomes "***". Private to
// lib/src/http; redact_text() applies it.

#include <string>
#include <string_view>

namespace pjats::http::detail {

// String values of the keys first_name, last_name, name, headline, address, location and
// notes at any depth become "M***". Other values, and values that
// are not JSON strings, are kept byte for byte.
std::string mask_candidate_fields(std::string_view json);

} // namespace pjats::http::detail
