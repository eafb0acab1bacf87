// `status`: Lever OAuth tokens — expiry, refresh token, client secret (never values).
#include "status/live.hpp"

#include <pjats/lever/oauth.hpp>

#include <ctime>

namespace pjats::cli {

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

} // namespace pjats::cli
