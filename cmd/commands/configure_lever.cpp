// `pj-ats configure lever`: an API key, or OAuth (authorization code with a loopback
// redirect on 127.0.0.1, random state, offline_access for a rotating refresh token).
// Resolves perform_as from --perform-as-email via GET /v1/users?email=.
#include "browser.hpp"
#include "commands/commands.hpp"
#include "secret_input.hpp"
#include "services.hpp"

#include <pjats/app/configure.hpp>
#include <pjats/core/json_writer.hpp>
#include <pjats/http/url.hpp>
#include <pjats/lever/oauth.hpp>

#include <chrono>
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

// Runs the browser flow and returns the tokens. The URL goes to stderr (and stdout with
// --json is kept for the final result).
Result<lever::TokenSet> authorize(const ConfigureLeverOptions& opts,
                                  Context& ctx,
                                  const profile::Profile& profile,
                                  const std::string& secret) {
    auto receiver = lever::LoopbackReceiver::open(opts.port);
    if (!receiver) {
        return std::move(receiver).error();
    }
    const std::string state = lever::random_state();
    const std::string url =
        lever::authorize_url(lever_auth_url(ctx, profile),
                             opts.client_id,
                             receiver->redirect_uri(),
                             state,
                             lever::oauth_audience(lever_base_url(ctx, profile)),
                             lever::default_scopes());
    ctx.err
        << "Open this URL in a browser where a Lever Super Admin is signed in, and accept\n"
           "(the scopes include stages and archive reasons, which `track` and `hires` need, and\n"
           "notes and files for the candidate card; a grant made before them must be approved\n"
           "again):\n\n  "
        << url << "\n\nWaiting for Lever to redirect to " << receiver->redirect_uri() << " ...\n"
        << std::flush;
    if (!opts.no_browser) {
        open_in_browser(url);
    }
    auto code = receiver->wait_for_code(state, std::chrono::seconds(opts.timeout_seconds));
    if (!code) {
        return std::move(code).error();
    }
    return lever::exchange_code(ctx.transport(profile),
                                lever_auth_url(ctx, profile),
                                opts.client_id,
                                secret,
                                *code,
                                receiver->redirect_uri());
}

// Checks the credentials in `profile` live (unless --no-verify) and resolves
// --perform-as-email into `user`.
Status verify_and_resolve(const ConfigureLeverOptions& opts,
                          Context& ctx,
                          const profile::Profile& profile,
                          lever::User& user) {
    if (opts.no_verify && opts.perform_as_email.empty()) {
        return {};
    }
    auto session = open_lever(ctx, profile);
    if (!session) {
        return std::move(session).error();
    }
    if (!opts.perform_as_email.empty()) {
        auto found = (*session)->client->user_by_email(opts.perform_as_email);
        if (!found) {
            Error error = std::move(found).error();
            if (error.kind == ErrorKind::not_found) { // unknown or deactivated: fix the flag
                error.kind = ErrorKind::config;
            }
            return error;
        }
        user = *found;
        return {};
    }
    auto postings = (*session)->client->postings("published");
    if (!postings) {
        return std::move(postings).error();
    }
    return {};
}

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
        auto tokens = authorize(opts, ctx, current, *client_secret);
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
        auto verified = verify_and_resolve(opts, ctx, current, user);
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
        auto verified = verify_and_resolve(opts, ctx, current, user);
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
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_object().key("target").value("lever").key("auth").value(settings.auth);
        json.key("perform_as").value(settings.perform_as).key("verified").value(!opts.no_verify);
        if (settings.auth == "oauth") {
            json.key("expires_at").value(settings.expires_at).key("scope").value(settings.scope);
        }
        json.end_object();
        ctx.out << json.str() << '\n';
        return 0;
    }
    const char* what = settings.auth == "oauth" ? "authorized with OAuth"
                       : key_given              ? "API key saved"
                                                : "API key unchanged";
    ctx.out << "Lever: " << what << (opts.no_verify ? " (not verified)" : "") << '\n';
    if (!user.id.empty()) {
        ctx.out << "Lever: performing actions as " << user.name << " (user " << user.id << ")\n";
    } else if (settings.perform_as.empty()) {
        ctx.note("note: no perform_as user yet; `send --to lever` needs one: re-run with "
                 "--perform-as-email EMAIL");
    }
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
