#include "usage_error.hpp"

#include "exit_code.hpp"

#include <pjats/text/suggest.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace pjats::cli {

namespace {

// The innermost subcommand the command line selected (the app itself when none).
const CLI::App* innermost(const CLI::App& app) {
    const CLI::App* current = &app;
    for (;;) {
        const std::vector<const CLI::App*> chosen =
            current->get_subcommands([](const CLI::App* sub) { return sub->parsed(); });
        if (chosen.empty()) {
            return current;
        }
        current = chosen.front();
    }
}

// The command path for messages, e.g. "pj-ats configure".
std::string command_path(const CLI::App* app) {
    std::string path = app->get_name();
    for (const CLI::App* up = app->get_parent(); up != nullptr; up = up->get_parent()) {
        path = up->get_name() + " " + path;
    }
    return path;
}

std::vector<std::string> subcommand_names(const CLI::App* app) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app->get_subcommands({})) {
        if (!sub->get_name().empty()) {
            names.push_back(sub->get_name());
        }
    }
    return names;
}

// Flags valid at `app`: its own and, through fallthrough, its parents'.
std::vector<std::string> flag_names(const CLI::App* app) {
    std::vector<std::string> names;
    for (const CLI::App* level = app; level != nullptr; level = level->get_parent()) {
        for (const CLI::Option* opt : level->get_options()) {
            for (const std::string& name : opt->get_lnames()) {
                names.push_back("--" + name);
            }
            for (const std::string& name : opt->get_snames()) {
                names.push_back("-" + name);
            }
        }
    }
    return names;
}

std::string suggestion(const std::string& word, const std::vector<std::string>& candidates) {
    if (word.size() == 2 && word[0] == '-' && word[1] != '-') {
        // One letter is one edit from every other short flag: suggest the long flag that
        // starts with it (-j: --json) when exactly one does, else nothing.
        std::optional<std::string> only;
        for (const std::string& name : candidates) {
            if (name.size() > 3 && name.compare(0, 3, std::string("--") + word[1]) == 0) {
                if (only && *only != name) {
                    return "";
                }
                only = name;
            }
        }
        return only ? "; did you mean '" + *only + "'?" : "";
    }
    const auto match = text::closest_match(word, candidates);
    return match ? "; did you mean '" + *match + "'?" : "";
}

// The message for the first argument no command level took, or "" when all were taken.
std::string unknown_argument_message(const CLI::App& app) {
    const std::vector<std::string> left = app.remaining(true);
    if (left.empty()) {
        return "";
    }
    const CLI::App* at = innermost(app);
    std::string word = left.front();
    if (word.size() > 1 && word[0] == '-') {
        word = word.substr(0, word.find('='));
        return "unknown flag '" + word + "'" + suggestion(word, flag_names(at));
    }
    const std::vector<std::string> commands = subcommand_names(at);
    if (!commands.empty()) {
        return "unknown command '" + word + "'" + suggestion(word, commands);
    }
    return "unexpected argument '" + word + "'";
}

} // namespace

int report_parse_error(CLI::App& app, const CLI::ParseError& error, std::ostream& err) {
    if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
        return app.exit(error); // --help, --help-all, --version
    }
    std::string message = unknown_argument_message(app);
    if (message.empty()) {
        message = error.what();
    }
    err << "pj-ats: error: " << message << '\n'
        << "Run '" << command_path(innermost(app)) << " --help' for usage.\n";
    return to_int(ExitCode::usage);
}

} // namespace pjats::cli
