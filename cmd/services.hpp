#pragma once

#include "context.hpp"

#include <pjats/greenhouse/client.hpp>
#include <pjats/http/rate_limiter.hpp>
#include <pjats/lever/client.hpp>
#include <pjats/lever/credentials.hpp>
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

// Whom the Greenhouse key in effect acts as ("user:<id>"), the identity in the ledger's
// account key: the one stored at configure time when the key is the same, else learnt
// with GET /v1/partner/current_user (and stored, unless the key came from the environment).
Result<std::string> greenhouse_identity(Context& ctx, const profile::Profile& profile,
                                        const GreenhouseAccess& access,
                                        greenhouse::Client& client, bool offline = false);

// Base URLs in effect: PJ_ATS_LEVER_URL / PJ_ATS_LEVER_AUTH_URL, else the profile's, else
// the defaults.
std::string lever_base_url(const profile::Profile& profile);
std::string lever_auth_url(const profile::Profile& profile);

// Everything a Lever call needs, kept alive together: credentials (API key, or OAuth
// tokens refreshed and rotated in the profile), the per-credential token bucket
// (10 req/s, bursts of 20) and the client.
struct LeverSession {
    std::unique_ptr<lever::Credentials> credentials;
    std::unique_ptr<http::TokenBucket> limiter;
    std::unique_ptr<lever::Client> client;
    std::string perform_as;
    std::string auth_mode; // "api_key" (and from where) or "oauth"
};

// Opens a Lever session for the active profile. Key precedence: PJ_ATS_LEVER_API_KEY,
// api_key_command, stored api_key; otherwise stored OAuth tokens.
Result<std::unique_ptr<LeverSession>> open_lever(Context& ctx, const profile::Profile& profile);

// The candidate source configured in the profile. A url source (URL: PJ_ATS_SOURCE_URL,
// else the profile's; token: PJ_ATS_SOURCE_TOKEN > token_command > stored) uses a
// transport of its own with the first form, the shared one with the second.
Result<std::unique_ptr<source::Source>> open_source(const profile::Profile& profile);
Result<std::unique_ptr<source::Source>> open_source(Context& ctx, const profile::Profile& profile);

// A send target with everything it needs (client, credentials) kept alive inside.
class TargetHandle {
  public:
    virtual ~TargetHandle() = default;
    virtual send::Target& target() = 0;
};

// Builds the target named `to` ("greenhouse" or "lever") for the active profile.
// `offline` (dry runs): never ask the API whom the credential acts as; the target's
// account() is then "" when the profile has not learnt it yet.
Result<std::unique_ptr<TargetHandle>> make_target(Context& ctx,
                                                  const profile::Profile& profile,
                                                  const std::string& to,
                                                  bool offline = false);

} // namespace pjats::cli
