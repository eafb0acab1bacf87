#pragma once

// The steps of `configure lever` that talk to Lever or render the result
// (commands/configure_lever.cpp parses the flags and saves the profile).

#include "context.hpp"

#include <pjats/lever/client.hpp>
#include <pjats/lever/oauth.hpp>

#include <string>

namespace pjats::cli {

struct LeverAuthorization {
    std::string client_id;
    int port = 0;             // the loopback receiver's port (0: any free one)
    int timeout_seconds = 300;
    bool no_browser = false;
};

// Runs the browser flow (authorization code to a loopback receiver on 127.0.0.1, random
// state) and returns the tokens. The URL goes to stderr; stdout stays for the result.
Result<lever::TokenSet> authorize_lever(const LeverAuthorization& opts,
                                        Context& ctx,
                                        const profile::Profile& profile,
                                        const std::string& secret);

// Checks the credentials in `profile` live (unless `no_verify`) and resolves
// `perform_as_email` (when given) into `user`; an unknown or deactivated user is a config
// error.
Status verify_lever(Context& ctx,
                    const profile::Profile& profile,
                    bool no_verify,
                    const std::string& perform_as_email,
                    lever::User& user);

// "Lever: API key saved" and the perform_as user, or one JSON object with --json.
void print_configured_lever(Context& ctx,
                            const profile::LeverSettings& settings,
                            const lever::User& user,
                            bool key_given,
                            bool no_verify);

} // namespace pjats::cli
