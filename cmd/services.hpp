#pragma once

// Thin adapters from a Context and a profile to the command's app::Services
// (lib/include/pjats/app/services.hpp), where the rules live. For the active profile they
// hand out the command's one Lever session, source and targets; for another profile (one
// being configured) they build fresh ones with the same rules over the same transports.

#include "context.hpp"

#include <pjats/app/services.hpp>
#include <pjats/app/settings.hpp>
#include <pjats/greenhouse/client.hpp>
#include <pjats/lever/client.hpp>
#include <pjats/profile/profile.hpp>
#include <pjats/send/target.hpp>
#include <pjats/source/source.hpp>

#include <memory>
#include <string>

namespace pjats::cli {

// The settings in effect for `profile`: the command's own (ctx.settings(): secrets and
// helpers resolved once) when it is the active profile as loaded, else the same rules
// over `profile` (one being configured).
std::shared_ptr<const app::Settings> settings_for(const Context& ctx,
                                                  const profile::Profile& profile);

// Base URLs in effect for `profile` (app::Settings::greenhouse_url, lever_url, lever_auth_url).
std::string greenhouse_base_url(const Context& ctx, const profile::Profile& profile);
std::string lever_base_url(const Context& ctx, const profile::Profile& profile);
std::string lever_auth_url(const Context& ctx, const profile::Profile& profile);

using GreenhouseAccess = app::GreenhouseAccess;

// Greenhouse credentials in effect for `profile` (key: env > api_key_command > stored).
Result<GreenhouseAccess> greenhouse_access(const Context& ctx, const profile::Profile& profile);

using LeverSession = app::LeverSession;

// The Lever session for `profile`: the command's shared one (Services::lever) when it is
// the active profile, else a new one on the same transports and pacer.
Result<std::shared_ptr<LeverSession>> open_lever(Context& ctx, const profile::Profile& profile);

// The candidate source configured in `profile` (a url source on the shared transports).
Result<std::unique_ptr<source::Source>> open_source(Context& ctx, const profile::Profile& profile);

// A send target, kept alive by the handle (or by the command's Services).
class TargetHandle {
  public:
    virtual ~TargetHandle() = default;
    virtual send::Target& target() = 0;
};

// The target named `to` ("greenhouse" or "lever") for the active profile (Services::target).
// `offline` (dry runs): never ask the API whom the credential acts as; the target's
// account() is then "" when the profile has not learnt it yet.
Result<std::unique_ptr<TargetHandle>> make_target(Context& ctx,
                                                  const profile::Profile& profile,
                                                  const std::string& to,
                                                  bool offline = false);

} // namespace pjats::cli
