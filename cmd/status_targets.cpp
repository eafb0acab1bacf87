// The Greenhouse and Lever checks of `pj-ats status`: which credentials are present and
// where they came from (never their values), token expiry, and a live call each.
#include "services.hpp"
#include "status_report.hpp"

#include <pjats/lever/oauth.hpp>
#include <pjats/http/url.hpp>

#include <ctime>

namespace pjats::cli {

namespace {

void write_not_checked(JsonWriter& json) {
    json.key("live").begin_object().key("checked").value(false).key("ok").null();
    json.key("user").null().key("error").null().end_object();
}

void write_live_error(JsonWriter& json, const Error& error) {
    json.key("live").begin_object().key("checked").value(true).key("ok").value(false);
    json.key("user").null().key("error").value(error.message).end_object();
}

// The fix for a failed live call: the configure command for credential problems, the
// network for temporary ones.
std::string live_fix(const Error& error,
                     const std::string& configure,
                     const std::string& url,
                     const Context& ctx) {
    switch (exit_code_for(error)) {
    case ExitCode::auth:
    case ExitCode::config:
        return configure;
    case ExitCode::temporary:
        return "check network access to " + url + ", then re-run `" + command_prefix(ctx)
               + " status`";
    default:
        return "re-run `" + command_prefix(ctx) + " -v status` to see the HTTP exchange";
    }
}

// The configure command for a key that came from `secret` (env: replace the variable).
std::string key_fix(const profile::Secret& secret, const std::string& configure) {
    if (secret.origin == profile::SecretOrigin::environment) {
        return "set " + secret.where + " to a valid key, or unset it and run: " + configure;
    }
    if (secret.origin == profile::SecretOrigin::command) {
        return "make api_key_command print a valid key, or run: " + configure;
    }
    return configure;
}

} // namespace

void check_greenhouse(Context& ctx,
                      const profile::Profile& profile,
                      bool offline,
                      StatusReport& report) {
    const std::string pj = command_prefix(ctx);
    if (!profile.greenhouse && profile.lever) {
        report.ok("greenhouse", "not configured (not used: this profile sends to Lever)");
        return;
    }
    if (!profile.greenhouse) {
        report.warn("greenhouse",
                    "not configured",
                    "printf '%s' \"$KEY\" | " + pj
                        + " configure greenhouse --email USER_EMAIL --api-key-stdin");
        return;
    }
    const profile::GreenhouseSettings& settings = *profile.greenhouse;
    const std::string email = settings.email.empty() ? "USER_EMAIL" : settings.email;
    const std::string configure = "printf '%s' \"$KEY\" | " + pj + " configure greenhouse --email "
                                  + shell_word(email) + " --api-key-stdin";
    const auto effective = settings_for(ctx, profile);
    const app::Setting url_setting = effective->greenhouse_url();
    const std::string& base_url = url_setting.value;
    bool usable = true;

    JsonWriter json;
    json.begin_object().key("base_url").value(base_url);
    json.key("base_url_origin").value(app::to_string(url_setting.origin));
    json.key("email").value(settings.email);
    if (auto url = http::check_base_url(base_url, "Greenhouse base URL"); !url) {
        report.fail("greenhouse.url",
                    url.error().message,
                    pj + " configure greenhouse --email " + shell_word(email)
                        + " --base-url https://api.greenhouse.io",
                    ExitCode::config);
        usable = false;
    }

    profile::Secret secret;
    auto key = effective->greenhouse_key(); // the command's one resolution
    if (!key) {
        report.fail("greenhouse.key",
                    key.error().message,
                    "run api_key_command by hand: it must print the key on its first line",
                    ExitCode::config);
        usable = false;
    } else if (key->origin == profile::SecretOrigin::none) {
        report.fail("greenhouse.key", "no API key", configure, ExitCode::auth);
        usable = false;
    } else {
        secret = *key;
        report.ok("greenhouse.key", "present, " + describe_origin(secret, "api_key_command"));
    }
    json.key("key");
    write_secret_json(json, secret);

    if (settings.email.empty()) {
        report.fail("greenhouse.email",
                    "no On-Behalf-Of email",
                    pj + " configure greenhouse --email USER_EMAIL",
                    ExitCode::config);
        usable = false;
    } else {
        report.ok("greenhouse.email", "On-Behalf-Of " + settings.email);
    }

    if (offline || !usable) {
        report.ok("greenhouse.live",
                  offline ? "not checked (--offline)"
                          : "not checked (fix the problems above first)");
        write_not_checked(json);
    } else {
        greenhouse::Client client(
            ctx.transports(profile).target("greenhouse"), base_url, secret.value, settings.email);
        auto user = client.current_user();
        if (!user) {
            const Error& error = user.error();
            report.fail("greenhouse.live",
                        error.message,
                        live_fix(error, key_fix(secret, configure), base_url, ctx),
                        exit_code_for(error));
            write_live_error(json, error);
        } else {
            report.ok("greenhouse.live",
                      "acting as " + user->full_name + " <" + user->email + "> (user "
                          + std::to_string(user->id) + ")");
            json.key("live").begin_object().key("checked").value(true).key("ok").value(true);
            json.key("user").begin_object().key("id").value(user->id);
            json.key("name").value(user->full_name).key("email").value(user->email);
            json.end_object().key("error").null().end_object();
        }
    }
    json.end_object();
    report.set_section("greenhouse", json.str());
}

namespace {

// The OAuth token checks; returns false when the tokens cannot work any more.
bool check_oauth(const profile::LeverSettings& settings,
                 const app::Settings& effective,
                 const std::string& configure,
                 JsonWriter& json,
                 StatusReport& report) {
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    const bool has_access = !settings.access_token.empty();
    const bool has_refresh = !settings.refresh_token.empty();
    bool usable = true;

    json.key("oauth").begin_object().key("client_id").value(settings.client_id);
    json.key("access_token_present").value(has_access);
    json.key("expires_at");
    if (settings.expires_at > 0) {
        json.value(settings.expires_at).key("expires_in_seconds").value(settings.expires_at - now);
    } else {
        json.null().key("expires_in_seconds").null();
    }
    json.key("refresh_token_present").value(has_refresh);

    const bool expired = settings.expires_at > 0 && settings.expires_at <= now;
    if (!has_access && !has_refresh) {
        report.fail("lever.token", "no OAuth tokens stored", configure, ExitCode::auth);
        usable = false;
    } else if (!has_access) {
        report.ok("lever.token", "no access token yet; one is fetched with the refresh token");
    } else if (settings.expires_at == 0) {
        report.ok("lever.token", "access token present, expiry unknown");
    } else if (!expired) {
        report.ok("lever.token", "access token expires " + relative_time(settings.expires_at, now));
    } else if (has_refresh) {
        report.ok("lever.token",
                  "access token expired " + relative_time(settings.expires_at, now)
                      + ", will refresh");
    } else {
        report.fail("lever.token",
                    "access token expired " + relative_time(settings.expires_at, now)
                        + " and there is no refresh token",
                    configure,
                    ExitCode::auth);
        usable = false;
    }
    if (has_refresh) {
        report.ok("lever.refresh_token", "present (Lever rotates it on every refresh)");
    } else if (usable) {
        report.warn("lever.refresh_token",
                    "absent: pj-ats cannot renew the access token when it expires",
                    configure);
    }

    // A grant made before `track` existed lacks its scopes (empty: Lever did not say).
    if (const auto missing = lever::missing_track_scopes(settings.scope);
        !settings.scope.empty() && !missing.empty()) {
        report.warn("lever.scopes",
                    "the OAuth grant lacks " + missing.front()
                        + (missing.size() > 1 ? " and " + missing.back() : std::string())
                        + ", needed by `track`/`hires`: a Lever Super Admin must approve again",
                    configure);
    }

    profile::Secret secret;
    auto client_secret = effective.lever_client_secret();
    if (!client_secret) {
        report.fail("lever.client_secret",
                    client_secret.error().message,
                    "run client_secret_command by hand: it must print the secret on its first line",
                    ExitCode::config);
    } else if (client_secret->origin == profile::SecretOrigin::none) {
        report.warn("lever.client_secret",
                    "not set: refreshing the access token will fail",
                    "printf '%s' \"$SECRET\" | " + configure + " --client-secret-stdin");
    } else {
        secret = *client_secret;
        report.ok("lever.client_secret",
                  "present, " + describe_origin(secret, "client_secret_command"));
    }
    json.key("client_secret");
    write_secret_json(json, secret);
    json.end_object();
    return usable;
}

// The live Lever call: the perform_as user when its email is known, else the postings.
void check_lever_live(Context& ctx,
                      const profile::Profile& profile,
                      const std::string& configure,
                      JsonWriter& json,
                      StatusReport& report) {
    const profile::LeverSettings& settings = *profile.lever;
    const std::string base_url = lever_base_url(ctx, profile);
    auto session = open_lever(ctx, profile);
    if (!session) {
        report.fail("lever.live",
                    session.error().message,
                    live_fix(session.error(), configure, base_url, ctx),
                    exit_code_for(session.error()));
        write_live_error(json, session.error());
        return;
    }
    lever::Client& client = *(*session)->client;
    if (settings.perform_as_email.empty()) {
        auto postings = client.postings("published");
        if (!postings) {
            report.fail("lever.live",
                        postings.error().message,
                        live_fix(postings.error(), configure, base_url, ctx),
                        exit_code_for(postings.error()));
            write_live_error(json, postings.error());
            return;
        }
        report.ok("lever.live",
                  "API reachable, " + std::to_string(postings->size()) + " published postings");
        json.key("live").begin_object().key("checked").value(true).key("ok").value(true);
        json.key("user").null().key("error").null().end_object();
        return;
    }
    auto user = client.user_by_email(settings.perform_as_email);
    if (!user) {
        Error error = user.error();
        ExitCode code = exit_code_for(error);
        if (error.kind == ErrorKind::not_found) {
            error.message = "no active Lever user " + settings.perform_as_email;
            code = ExitCode::config;
        }
        report.fail("lever.live",
                    error.message,
                    code == ExitCode::config ? configure
                                             : live_fix(error, configure, base_url, ctx),
                    code);
        write_live_error(json, error);
        return;
    }
    report.ok("lever.live",
              "performing as " + user->name + " <" + user->email + "> (user " + user->id + ")");
    if (user->id != settings.perform_as) {
        report.warn("lever.perform_as",
                    settings.perform_as_email + " is now Lever user " + user->id
                        + ", but the profile stores " + settings.perform_as,
                    configure);
    }
    json.key("live").begin_object().key("checked").value(true).key("ok").value(true);
    json.key("user").begin_object().key("id").value(user->id).key("name").value(user->name);
    json.key("email").value(user->email).end_object().key("error").null().end_object();
}

} // namespace

void check_lever(Context& ctx,
                 const profile::Profile& profile,
                 bool offline,
                 StatusReport& report) {
    const std::string pj = command_prefix(ctx);
    if (!profile.lever && profile.greenhouse && profile.links.empty()) {
        report.ok("lever", "not configured (not used: this profile sends to Greenhouse)");
        return;
    }
    if (!profile.lever) {
        report.warn("lever",
                    "not configured",
                    "printf '%s' \"$KEY\" | " + pj
                        + " configure lever --api-key-stdin --perform-as-email EMAIL (or: " + pj
                        + " configure lever --oauth --client-id ID --perform-as-email EMAIL)");
        return;
    }
    const profile::LeverSettings& settings = *profile.lever;
    const std::string email =
        shell_word(settings.perform_as_email.empty() ? "EMAIL" : settings.perform_as_email);
    const bool oauth = settings.auth == "oauth";
    const std::string configure =
        oauth ? pj + " configure lever --oauth --client-id "
                    + shell_word(settings.client_id.empty() ? "ID" : settings.client_id)
                    + " --perform-as-email " + email
              : "printf '%s' \"$KEY\" | " + pj
                    + " configure lever --api-key-stdin --perform-as-email " + email;
    const auto effective = settings_for(ctx, profile);
    const app::Setting url_setting = effective->lever_url();
    const std::string& base_url = url_setting.value;
    bool usable = true;

    JsonWriter json;
    json.begin_object().key("base_url").value(base_url);
    json.key("base_url_origin").value(app::to_string(url_setting.origin));
    if (auto url = http::check_base_url(base_url, "Lever base URL"); !url) {
        report.fail("lever.url",
                    url.error().message,
                    pj + " configure lever ... --base-url https://api.lever.co",
                    ExitCode::config);
        usable = false;
    }
    // The same precedence as open_lever: an API key from the environment or a command wins
    // even over stored OAuth tokens.
    profile::Secret key;
    auto resolved = effective->lever_api_key();
    if (!resolved) {
        report.fail("lever.key",
                    resolved.error().message,
                    "run api_key_command by hand: it must print the key on its first line",
                    ExitCode::config);
        usable = false;
    } else {
        key = *resolved;
    }
    const bool api_key = key.origin != profile::SecretOrigin::none;
    const char* mode = api_key ? "api_key" : (oauth ? "oauth" : "none");
    json.key("auth").value(mode).key("api_key");
    write_secret_json(json, key);
    json.key("perform_as").value(settings.perform_as);
    json.key("perform_as_email").value(settings.perform_as_email);

    if (api_key) {
        report.ok("lever.auth", "API key, " + describe_origin(key, "api_key_command"));
        if (oauth) {
            report.warn("lever.auth",
                        "the API key " + describe_origin(key, "api_key_command")
                            + " takes precedence over the stored OAuth tokens",
                        key.origin == profile::SecretOrigin::environment
                            ? "unset " + key.where + " to use the OAuth tokens"
                            : "remove api_key_command from the profile to use the OAuth tokens");
        }
        json.key("oauth").null();
    } else if (oauth) {
        report.ok("lever.auth", "OAuth (client " + settings.client_id + ")");
        usable = check_oauth(settings, *effective, configure, json, report) && usable;
    } else if (resolved) {
        report.fail("lever.auth", "no API key and no OAuth tokens", configure, ExitCode::auth);
        json.key("oauth").null();
        usable = false;
    } else {
        json.key("oauth").null();
    }

    if (settings.perform_as.empty()) {
        report.fail("lever.perform_as",
                    "no user to perform actions as (send --to lever and sync need one)",
                    configure,
                    ExitCode::config);
    } else {
        report.ok("lever.perform_as",
                  "user " + settings.perform_as
                      + (settings.perform_as_email.empty()
                             ? ""
                             : " (" + settings.perform_as_email + ")"));
    }

    if (offline || !usable) {
        report.ok("lever.live",
                  offline ? "not checked (--offline)"
                          : "not checked (fix the problems above first)");
        write_not_checked(json);
    } else {
        check_lever_live(ctx, profile, key_fix(key, configure), json, report);
    }
    json.end_object();
    report.set_section("lever", json.str());
}

} // namespace pjats::cli
