#include "help_format.hpp"

#include <pjats/text/wrap.hpp>

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <vector>

namespace pjats::cli {

namespace {

constexpr std::size_t k_default_width = 80;
constexpr std::size_t k_min_width = 20;
constexpr std::size_t k_max_name_column = 30;

constexpr const char* k_subcommand_footer =
    "Global flags (before or after the command): --json, --profile NAME, --config PATH, "
    "-v/--verbose, -q/--quiet, --no-input.\n"
    "Exit codes: see `pj-ats --help`.";

// The placeholder for an option's value: "INT:POSITIVE" -> "N", "FLOAT:FLOAT in [0 - 1]" ->
// "NUM", "TEXT:{a,b}" -> "{a,b}", and for text the last word of the long name ("--base-url"
// -> "URL"; "--ids-from" -> "IDS_FROM" when that word is a short connective).
std::string value_name(const CLI::Option* opt) {
    const std::string& type_name = opt->get_type_name();
    const std::size_t set = type_name.find('{');
    if (set != std::string::npos) {
        const std::size_t end = type_name.find('}', set);
        return type_name.substr(set, end == std::string::npos ? std::string::npos : end - set + 1);
    }
    const std::string base = type_name.substr(0, type_name.find_first_of(": "));
    if (base == "INT" || base == "UINT") {
        return "N";
    }
    if (base == "FLOAT") {
        return "NUM";
    }
    const std::vector<std::string>& names = opt->get_lnames();
    std::string name = names.empty() ? std::string("value") : names.front();
    const std::size_t dash = name.rfind('-');
    if (dash != std::string::npos && name.size() - dash - 1 > 2
        && name.substr(dash + 1) != "from") {
        name = name.substr(dash + 1);
    }
    std::string upper;
    for (const char c : name) {
        upper += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return upper;
}

} // namespace

std::size_t help_width() {
    if (const char* columns = std::getenv("COLUMNS")) {
        char* end = nullptr;
        const long value = std::strtol(columns, &end, 10);
        if (end != columns && *end == '\0' && value >= static_cast<long>(k_min_width)) {
            return static_cast<std::size_t>(value);
        }
    }
    winsize size{};
    if (isatty(STDOUT_FILENO) == 1 && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0
        && size.ws_col >= k_min_width) {
        return size.ws_col;
    }
    return k_default_width;
}

HelpFormatter::HelpFormatter(std::size_t width)
    : m_width(std::max(width, k_min_width)) {
    column_width(std::min(k_max_name_column, m_width * 2 / 5));
}

std::string
HelpFormatter::make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const {
    return text::wrap_text(CLI::Formatter::make_help(app, std::move(name), mode), m_width);
}

std::string HelpFormatter::make_option_opts(const CLI::Option* opt) const {
    std::string out;
    if (!opt->get_option_text().empty()) {
        out = " " + opt->get_option_text();
    } else if (opt->get_type_size() != 0) {
        if (!opt->get_positional() && !opt->get_type_name().empty()) { // flags have none
            out = " " + value_name(opt);
        }
        if (!opt->get_default_str().empty()) {
            out += "=" + opt->get_default_str();
        }
        if (opt->get_expected_max() == CLI::detail::expected_max_vector_size) {
            out += " ...";
        }
        if (opt->get_required()) {
            out += " REQUIRED";
        }
    }
    if (!opt->get_envname().empty()) {
        out += " (env " + opt->get_envname() + ")";
    }
    return out;
}

std::string HelpFormatter::make_footer(const CLI::App* app) const {
    std::string footer = app->get_footer();
    if (app->get_parent() != nullptr) {
        const CLI::App* root = app;
        while (root->get_parent() != nullptr) {
            root = root->get_parent();
        }
        if (footer == root->get_footer()) { // inherited: the exit codes stay at the top
            footer.clear();
        }
        footer += (footer.empty() ? "" : "\n\n") + std::string(k_subcommand_footer);
    }
    return footer.empty() ? footer : footer + "\n";
}

void use_help_formatter(CLI::App& app) {
    app.formatter(std::make_shared<HelpFormatter>(help_width()));
}

} // namespace pjats::cli
