// `status`: Greenhouse — the key and where it came from (never its value), the
// On-Behalf-Of user, and a live call.
#include "services.hpp"
#include "status/live.hpp"

#include <pjats/http/url.hpp>

namespace pjats::cli {

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
                      "acting as " + user->full_name + " <" + user->email + ">"
                          + (user->id != 0 ? " (user " + std::to_string(user->id) + ")"
                                           : std::string()));
            json.key("live").begin_object().key("checked").value(true).key("ok").value(true);
            json.key("user").begin_object().key("id").value(user->id);
            json.key("name").value(user->full_name).key("email").value(user->email);
            json.end_object().key("error").null().end_object();
        }
    }
    json.end_object();
    report.set_section("greenhouse", json.str());
}

} // namespace pjats::cli
