// `status`: the active profile — its name, where the name came from, whether it exists.
#include "status/report.hpp"

#include <cstdlib>

namespace pjats::cli {

bool check_profile_name_given(const Context& ctx, StatusReport& report) {
    const char* env = std::getenv("PJ_ATS_PROFILE");
    const bool from_flag = !ctx.global.profile.empty();
    const std::string name = from_flag ? ctx.global.profile : (env != nullptr ? env : "");
    if (name.empty()) {
        return true;
    }
    const Status valid = profile::check_profile_name(name);
    if (!valid) {
        // No command accepts this name, so no fix may suggest one that uses it.
        const char* origin = from_flag ? " (from --profile)" : " (from $PJ_ATS_PROFILE)";
        report.fail("profile",
                    valid.error().message + origin,
                    "pick a name made of letters, digits, '_' and '-', e.g. --profile work",
                    ExitCode::config);
    }
    return static_cast<bool>(valid);
}

std::optional<profile::Profile>
check_profile(const Context& ctx, const profile::Config& config, StatusReport& report) {
    // The name and its origin as Settings resolved them (flag > env > stored > default).
    const auto settings = ctx.settings();
    const app::Setting resolved =
        settings ? (*settings)->profile_name()
                 : app::Setting{ctx.profile_name(config), app::Origin::default_value, ""};
    const std::string& name = resolved.value;
    std::string origin = "default";
    std::string origin_text = "the built-in default";
    switch (resolved.origin) {
    case app::Origin::flag:
        origin = resolved.where;
        origin_text = "from " + resolved.where;
        break;
    case app::Origin::env:
        origin = resolved.where;
        origin_text = "from $" + resolved.where;
        break;
    case app::Origin::stored:
        origin = resolved.where;
        origin_text = resolved.where + " in the config file";
        break;
    default:
        break;
    }
    const auto it = config.profiles.find(name);
    JsonWriter json;
    json.begin_object().key("name").value(name).key("origin").value(origin);
    json.key("exists").value(it != config.profiles.end()).end_object();
    report.set_section("profile", json.str());
    if (it == config.profiles.end()) {
        std::string known;
        for (const auto& [other, unused] : config.profiles) {
            known += (known.empty() ? "" : ", ") + other;
        }
        report.fail("profile",
                    "'" + name + "' (" + origin_text + ") is not in the config file"
                        + (known.empty() ? "" : "; profiles: " + known),
                    command_prefix(ctx)
                        + (ctx.global.profile.empty() ? " --profile " + shell_word(name) : "")
                        + " configure source --dir PATH",
                    ExitCode::config);
        return std::nullopt;
    }
    report.ok("profile", name + " (" + origin_text + ")");
    return it->second;
}

} // namespace pjats::cli
