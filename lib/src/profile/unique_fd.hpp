#pragma once

// The profile store's name for the shared descriptor owner.
#include "core/unique_fd.hpp"

namespace pjats::profile::detail {
using UniqueFd = pjats::core::UniqueFd;
} // namespace pjats::profile::detail
