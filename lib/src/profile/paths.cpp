// Where the config lives and which profile is in effect: pure lookups over the command
// line, the environment and the loaded config.

#include <pjats/profile/profile.hpp>

#include <cstdlib>
#include <string>

namespace pjats::profile {

namespace {

// The value of `name` when it is set and non-empty.
std::string env_value(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

bool is_name_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
           || c == '-';
}

} // namespace

Status check_profile_name(const std::string& name) {
    bool ok = !name.empty();
    for (char c : name) {
        if (!is_name_char(c)) {
            ok = false;
            break;
        }
    }
    if (ok) {
        return {};
    }
    return make_error(ErrorKind::config,
                      "invalid profile name '" + name + "': use letters, digits, '_' and '-' only",
                      "profile");
}

std::string config_path(const std::string& override_path) {
    if (!override_path.empty()) {
        return override_path;
    }
    std::string path = env_value("PJ_ATS_CONFIG");
    if (!path.empty()) {
        return path;
    }
    // The XDG base directory spec says relative values are invalid and must be ignored.
    const std::string xdg = env_value("XDG_CONFIG_HOME");
    if (!xdg.empty() && xdg.front() == '/') {
        return xdg + "/pj-ats/config.toml";
    }
    const std::string home = env_value("HOME");
    if (!home.empty()) {
        return home + "/.config/pj-ats/config.toml";
    }
    return {};
}

std::string profile_name(const std::string& override_name, const Config& config) {
    if (!override_name.empty()) {
        return override_name;
    }
    std::string name = env_value("PJ_ATS_PROFILE");
    if (!name.empty()) {
        return name;
    }
    if (!config.default_profile.empty()) {
        return config.default_profile;
    }
    return "default";
}

} // namespace pjats::profile
