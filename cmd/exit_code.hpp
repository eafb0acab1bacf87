#pragma once

#include <pjats/core/exit_code.hpp>

namespace pjats::cli {

// The codes and the Error → code mapping live in the library (one tally rule for every
// run, lib/include/pjats/send/tally.hpp); the CLI only prints the table.
using pjats::ExitCode;
using pjats::exit_code_for;
using pjats::to_int;

// The EXIT STATUS table as printed at the end of --help.
const char* exit_codes_help();

} // namespace pjats::cli
