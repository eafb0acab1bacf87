#pragma once

// What the Greenhouse and Lever checks of `status` share (live.cpp, lever_oauth.cpp).

#include "services.hpp"
#include "status/report.hpp"

namespace pjats::cli {

// "live": {"checked": false, "ok": null, "user": null, "error": null}
void write_not_checked(JsonWriter& json);
// "live": {"checked": true, "ok": false, "user": null, "error": message}
void write_live_error(JsonWriter& json, const Error& error);

// The fix for a failed live call: `configure` for credential problems, the network for
// temporary ones, a -v re-run otherwise.
std::string live_fix(const Error& error,
                     const std::string& configure,
                     const std::string& url,
                     const Context& ctx);

// The configure command for a key that came from `secret` (env: replace the variable).
std::string key_fix(const profile::Secret& secret, const std::string& configure);

// The OAuth token checks of a Lever profile (lever_oauth.cpp); false when the tokens
// cannot work any more.
bool check_oauth(const profile::LeverSettings& settings,
                 const app::Settings& effective,
                 const std::string& configure,
                 JsonWriter& json,
                 StatusReport& report);

} // namespace pjats::cli
