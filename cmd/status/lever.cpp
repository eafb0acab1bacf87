// `status`: Lever — which credentials are in use and where they came from, the perform_as
// user, and a live call.
#include "services.hpp"
#include "status/live.hpp"

#include <pjats/http/url.hpp>

namespace pjats::cli {

namespace {

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
