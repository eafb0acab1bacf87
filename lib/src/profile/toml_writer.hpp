#pragma once

#include <pjats/core/result.hpp>
#include <pjats/profile/profile.hpp>

#include <string>

namespace pjats::profile::detail {

// The TOML text of `config`: only non-empty keys (and a non-zero expires_at) are written;
// a present Greenhouse or Lever section is written even when empty so that it survives a
// round trip. Invalid profile names and strings that are not valid UTF-8 are `config`
// errors (the offending value is never echoed).
Result<std::string> serialize_config(const Config& config);

} // namespace pjats::profile::detail
