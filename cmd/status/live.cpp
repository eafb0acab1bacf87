// The pieces the target checks of `status` share: the "live" JSON member and the fix
// for a failed live call or a bad key.
#include "status/live.hpp"

#include <ctime>

namespace pjats::cli {

void write_not_checked(JsonWriter& json) {
    json.key("live").begin_object().key("checked").value(false).key("ok").null();
    json.key("user").null().key("error").null().end_object();
}

void write_live_error(JsonWriter& json, const Error& error) {
    json.key("live").begin_object().key("checked").value(true).key("ok").value(false);
    json.key("user").null().key("error").value(error.message).end_object();
}

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

std::string key_fix(const profile::Secret& secret, const std::string& configure) {
    if (secret.origin == profile::SecretOrigin::environment) {
        return "set " + secret.where + " to a valid key, or unset it and run: " + configure;
    }
    if (secret.origin == profile::SecretOrigin::command) {
        return "make api_key_command print a valid key, or run: " + configure;
    }
    return configure;
}

} // namespace pjats::cli
