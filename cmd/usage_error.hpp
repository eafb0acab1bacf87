#pragma once

#include <CLI/CLI.hpp>

#include <iosfwd>

namespace pjats::cli {

// Reports a failed parse of `app` on `err` as "pj-ats: error: ..." and returns the exit
// status (0 for --help and --version, which CLI11 reports as parse errors, else 2).
// An unknown command or flag is named first, whatever else failed, with the closest
// valid one at that command level when one is close:
//   pj-ats: error: unknown command 'sned'; did you mean 'send'?
//   pj-ats: error: unknown flag '--jobs'; did you mean '--job'?
int report_parse_error(CLI::App& app, const CLI::ParseError& error, std::ostream& err);

} // namespace pjats::cli
