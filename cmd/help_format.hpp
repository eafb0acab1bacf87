#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>

namespace pjats::cli {

// Width help is wrapped to: $COLUMNS when it is a number >= 20, else the terminal's width
// when stdout is one, else 80.
std::size_t help_width();

// CLI11's help laid out for people: wrapped to `width` (no line longer), option values shown
// as a name (`--port N`, `--to {greenhouse,lever}`) instead of CLI11 type names such as
// `INT:POSITIVE`, the app's own footer, and for subcommands a short line naming the global
// flags plus a pointer to the exit-code table (shown only by the top-level help).
class HelpFormatter : public CLI::Formatter {
  public:
    explicit HelpFormatter(std::size_t width);

    std::string
    make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override;
    std::string make_option_opts(const CLI::Option* opt) const override;
    std::string make_footer(const CLI::App* app) const override;

  private:
    std::size_t m_width;
};

// Installs a HelpFormatter of help_width() on `app`; subcommands added afterwards share it.
void use_help_formatter(CLI::App& app);

} // namespace pjats::cli
