#pragma once

// The rules `configure greenhouse` and `configure lever` apply to the stored settings:
// which stored values a new key, helper command or OAuth grant replaces or clears. cmd/
// reads the flags and secrets, these functions decide what is stored.

#include <pjats/app/settings.hpp>
#include <pjats/core/result.hpp>
#include <pjats/profile/profile.hpp>

#include <string>

namespace pjats::app {

// What `configure greenhouse` was given ("" = not given). Secrets are already read.
struct GreenhouseChange {
    std::string email;
    std::string api_key;         // a new key (stdin, file or prompt)
    std::string api_key_command; // --api-key-command
    std::string base_url;        // --base-url
};

// `current` with `change` applied. A new key without a new command clears the stored
// command, which would otherwise win over it (helper > stored).
profile::GreenhouseSettings apply_change(profile::GreenhouseSettings current,
                                         const GreenhouseChange& change);

// What `configure lever` was given ("" = not given). Secrets are already read.
struct LeverChange {
    bool oauth = false;
    std::string api_key;               // a new key (stdin, file or prompt)
    std::string api_key_command;       // --api-key-command
    std::string client_id;             // --client-id (OAuth)
    std::string client_secret;         // a new client secret (OAuth)
    std::string client_secret_command; // --client-secret-command (OAuth)
    std::string base_url;              // --base-url
    std::string auth_url;              // --auth-url
    std::string perform_as;            // --perform-as (a user id: the stored email is cleared)
};

// `current` with `change` applied. OAuth: auth = "oauth", the client id, the new secret
// and command when given; the stored API key is cleared (the tokens come from the grant).
// API key: auth = "api_key", the new key (clearing a stored command unless a new one is
// given, as for Greenhouse) and command; stored OAuth tokens are cleared.
profile::LeverSettings apply_change(profile::LeverSettings current, const LeverChange& change);

// The client secret a new OAuth authorization uses: the one given, else
// PJ_ATS_LEVER_CLIENT_SECRET, else the client_secret_command of `settings` (run now), else
// the stored one; a `usage` error saying how to give one when there is none.
Result<std::string> oauth_client_secret(const Settings& settings,
                                        const profile::LeverSettings& lever,
                                        const LeverChange& change);

// A `usage` error when `configure lever` without --oauth would leave no API key at all:
// none given, no command, none stored and PJ_ATS_LEVER_API_KEY unset.
Status check_api_key_given(const Settings& settings,
                           const profile::LeverSettings& current,
                           const LeverChange& change);

} // namespace pjats::app
