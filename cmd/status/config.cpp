// `status`: the config file (its modes, whether it parses).
#include "status/report.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

namespace pjats::cli {

namespace {

std::string octal_mode(mode_t mode) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode & 07777));
    return buffer;
}

std::optional<mode_t> mode_of(const std::string& path) {
    struct stat st {};

    if (::stat(path.c_str(), &st) != 0) {
        return std::nullopt;
    }
    return st.st_mode;
}

} // namespace

std::optional<profile::Config> check_config(const Context& ctx, StatusReport& report) {
    const std::string path = ctx.config_path();
    const std::string pj = command_prefix(ctx);
    std::optional<std::string> mode;
    std::optional<std::string> dir_mode;
    std::optional<profile::Config> config;
    std::optional<mode_t> dir_bits;
    const std::string dir = std::filesystem::path(path).parent_path().string();
    if (path.empty()) {
        report.fail("config",
                    "no config location: HOME and XDG_CONFIG_HOME are unset",
                    "set HOME, or pass --config PATH",
                    ExitCode::config);
    } else if (const auto bits = mode_of(path); !bits) {
        report.fail("config",
                    "no config file at " + path,
                    pj + " configure source --dir PATH, then " + pj
                        + " configure greenhouse (or lever)",
                    ExitCode::config);
    } else {
        mode = octal_mode(*bits);
        dir_bits = mode_of(dir);
        if (dir_bits) {
            dir_mode = octal_mode(*dir_bits);
        }
        auto loaded = ctx.load_config(); // the command's one read of the file
        if (!loaded) {
            const Error& error = loaded.error();
            report.fail("config",
                        error.message,
                        error.hint.kind == Hint::Kind::none
                            ? "correct " + path + " (or move it aside and configure again)"
                            : status_fix(error.hint, pj),
                        ExitCode::config);
        } else {
            config = std::move(*loaded);
            report.ok("config",
                      path + " (mode " + *mode + ", directory " + dir_mode.value_or("?") + ")");
            if (dir_bits && (*dir_bits & 077) != 0) {
                report.warn("config.dir",
                            dir + " can be listed by others (mode " + *dir_mode
                                + "); the file itself is private",
                            "chmod 700 " + shell_word(dir));
            }
        }
    }
    JsonWriter json;
    json.begin_object().key("path");
    value_or_null(json, path.empty() ? std::nullopt : std::optional<std::string>(path));
    json.key("exists").value(mode.has_value()).key("mode");
    value_or_null(json, mode);
    json.key("dir_mode");
    value_or_null(json, dir_mode);
    json.key("ok").value(config.has_value()).end_object();
    report.set_section("config", json.str());
    return config;
}

} // namespace pjats::cli
