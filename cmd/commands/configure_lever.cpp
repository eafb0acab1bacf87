// `pj-ats configure lever`: an API key, or OAuth (authorization code with a loopback
// redirect on 127.0.0.1, random state, offline_access for a rotating refresh token).
// Resolves perform_as from --perform-as-email via GET /v1/users?email=.
#include "commands/commands.hpp"
#include "lever_setup.hpp"
#include "secret_input.hpp"
#include "services.hpp"

#include <pjats/app/configure.hpp>
#include <pjats/http/url.hpp>

#include <ostream>

namespace pjats::cli {

namespace {

struct ConfigureLeverOptions {
    SecretFlags key;
    std::string key_command;
    bool oauth = false;
    std::string client_id;
    SecretFlags client_secret;
    std::string client_secret_command;
    std::string auth_url;
    bool no_browser = false;
    int port = 0;
    int timeout_seconds = 300;
    std::string perform_as;
    std::string perform_as_email;
    std::string base_url;
    bool no_verify = false;
};



int run_configure_lever(const ConfigureLeverOptions& opts, Context& ctx) {
    if (opts.oauth && opts.client_id.empty()) {
        return ctx.fail(make_error(ErrorKind::usage, "--oauth needs --client-id"));
    }
    if (!opts.oauth && (!opts.client_id.empty() || opts.client_secret.from_stdin)) {
        return ctx.fail(
            make_error(ErrorKind::usage, "--client-id and the client secret go with --oauth"));
    }
    if (!opts.perform_as.empty() && !opts.perform_as_email.empty()) {
        return ctx.fail(
            make_error(ErrorKind::usage, "give --perform-as or --perform-as-email, not both"));
    }
    for (const auto& [url, what] :
         {std::pair{opts.base_url, "--base-url"}, {opts.auth_url, "--auth-url"}}) {
        if (!url.empty()) {
            PJATS_TRY_EXIT(ctx, http::check_base_url(url, what));
        }
    }
    auto profile = ctx.active_profile();
    profile::Profile current = profile ? *profile : profile::Profile{};
    const profile::LeverSettings before = current.lever.value_or(profile::LeverSettings{});

    app::LeverChange change;
    change.oauth = opts.oauth;
    change.api_key_command = opts.key_command;
    change.client_id = opts.client_id;
    change.client_secret_command = opts.client_secret_command;
    change.base_url = opts.base_url;
    change.auth_url = opts.auth_url;
    change.perform_as = opts.perform_as;
    auto secret = read_secret(ctx,
                              opts.oauth ? opts.client_secret : opts.key,
                              opts.oauth ? "Lever OAuth client secret" : "Lever API key");
    if (!secret) {
        return ctx.fail(secret.error());
    }
    (opts.oauth ? change.client_secret : change.api_key) = *secret;
    const auto effective = settings_for(ctx, current);
    if (!opts.oauth) {
        PJATS_TRY_EXIT(ctx, app::check_api_key_given(*effective, before, change));
    }
    profile::LeverSettings settings = app::apply_change(before, change);
    current.lever = settings;

    const bool key_given = !change.api_key.empty() || !change.api_key_command.empty();
    if (opts.oauth) {
        auto client_secret = app::oauth_client_secret(*effective, settings, change);
        if (!client_secret) {
            return ctx.fail(client_secret.error());
        }
        auto tokens = authorize_lever(
            {opts.client_id, opts.port, opts.timeout_seconds, opts.no_browser}, ctx, current,
            *client_secret);
        if (!tokens) {
            return ctx.fail(tokens.error());
        }
        lever::apply_token_set(settings, *tokens);
    }
    // An API key is checked before anything is saved, so a wrong key never replaces a
    // working one.
    lever::User user;
    if (!opts.oauth) {
        current.lever = settings;
        auto verified = verify_lever(ctx, current, opts.no_verify, opts.perform_as_email, user);
        if (!verified) {
            return ctx.fail(verified.error());
        }
    }
    // OAuth tokens are saved first: resolving perform_as may refresh them, which reads and
    // rewrites the profile itself.
    auto saved = ctx.update_profile([&](profile::Profile& p) -> Status {
        p.lever = settings;
        return {};
    });
    if (!saved) {
        return ctx.fail(saved.error());
    }
    current.lever = settings;

    if (opts.oauth) {
        auto verified = verify_lever(ctx, current, opts.no_verify, opts.perform_as_email, user);
        if (!verified) {
            return ctx.fail(verified.error());
        }
    }
    if (!user.id.empty()) {
        auto stored = ctx.update_profile([&](profile::Profile& p) -> Status {
            if (!p.lever) {
                p.lever = settings;
            }
            p.lever->perform_as = user.id;
            p.lever->perform_as_email = opts.perform_as_email;
            return {};
        });
        if (!stored) {
            return ctx.fail(stored.error());
        }
        settings.perform_as = user.id;
    }
    print_configured_lever(ctx, settings, user, key_given, opts.no_verify);
    return 0;
}

} // namespace

void add_configure_lever(CLI::App& configure, Context& ctx) {
    auto opts = std::make_shared<ConfigureLeverOptions>();
    CLI::App* sub = configure.add_subcommand("lever", "Store Lever credentials (API key or OAuth)");
    sub->add_flag("--api-key-stdin", opts->key.from_stdin, "Read the API key from standard input");
    sub->add_option("--api-key-file", opts->key.file, "Read the API key from this file");
    sub->add_option(
        "--api-key-command", opts->key_command, "Store a command that prints the API key");
    sub->add_flag(
        "--oauth", opts->oauth, "Authorize with OAuth in a browser instead of an API key");
    sub->add_option("--client-id", opts->client_id, "OAuth client id issued by Lever");
    sub->add_flag("--client-secret-stdin",
                  opts->client_secret.from_stdin,
                  "Read the OAuth client secret from standard input");
    sub->add_option("--client-secret-file",
                    opts->client_secret.file,
                    "Read the OAuth client secret from this file");
    sub->add_option("--client-secret-command",
                    opts->client_secret_command,
                    "Store a command that prints the OAuth client secret");
    sub->add_option("--auth-url",
                    opts->auth_url,
                    "OAuth server (default https://auth.lever.co; env PJ_ATS_LEVER_AUTH_URL)");
    sub->add_flag("--no-browser", opts->no_browser, "Only print the authorization URL");
    sub->add_option(
        "--redirect-port", opts->port, "Loopback port for the OAuth redirect (default: any)");
    sub->add_option("--timeout", opts->timeout_seconds, "Seconds to wait for the OAuth redirect");
    sub->add_option("--perform-as", opts->perform_as, "Lever user id to perform actions as")
        ->option_text("USER_ID");
    sub->add_option("--perform-as-email",
                    opts->perform_as_email,
                    "Email of the Lever user to perform actions as (looked up)");
    sub->add_option("--base-url",
                    opts->base_url,
                    "API root (default https://api.lever.co; env PJ_ATS_LEVER_URL)");
    sub->add_flag("--no-verify", opts->no_verify, "Do not check the credentials live");
    sub->callback([opts, &ctx] { ctx.exit_code = run_configure_lever(*opts, ctx); });
}

} // namespace pjats::cli
