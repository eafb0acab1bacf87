#pragma once

#include "context.hpp"

#include <pjats/greenhouse/client.hpp>
#include <pjats/profile/profile.hpp>
#include <pjats/send/target.hpp>
#include <pjats/source/source.hpp>

#include <memory>
#include <string>

namespace pjats::cli {

// Base URL in effect: PJ_ATS_GREENHOUSE_URL, else the profile's, else the default.
std::string greenhouse_base_url(const profile::Profile& profile);

// Greenhouse credentials in effect (key precedence: env > api_key_command > stored).
struct GreenhouseAccess {
    std::string base_url;
    std::string email;
    profile::Secret key;
};

Result<GreenhouseAccess> greenhouse_access(const profile::Profile& profile);

// The candidate source configured in the profile.
Result<std::unique_ptr<source::Source>> open_source(const profile::Profile& profile);

// A send target with everything it needs (client, credentials) kept alive inside.
class TargetHandle {
  public:
    virtual ~TargetHandle() = default;
    virtual send::Target& target() = 0;
};

// Builds the target named `to` ("greenhouse" or "lever") for the active profile.
Result<std::unique_ptr<TargetHandle>> make_target(Context& ctx,
                                                  const profile::Profile& profile,
                                                  const std::string& to);

} // namespace pjats::cli
