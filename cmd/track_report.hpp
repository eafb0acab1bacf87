#pragma once

// Rendering of `track` and `hires`: text lines, --json lines, and the hires CSV (RFC 4180).

#include "context.hpp"

#include <pjats/ledger/ledger.hpp>

#include <string>
#include <utility>
#include <vector>

namespace pjats::cli {

// One (candidate, target) of `track` as a --json object line.
void print_tracked(Context& ctx, const ledger::Tracked& row, bool changed);

// The rows of `track` as one table fitted to the terminal (table.hpp): CANDIDATE, TARGET,
// STATE, STAGE, JOB, SINCE, LINK.
void print_tracked_table(Context& ctx, const std::vector<const ledger::Tracked*>& rows);

// A lookup that got no answer (stderr in text mode, a JSON line with "error" otherwise).
void print_track_failure(Context& ctx, const ledger::Key& key, const Error& error);

// One hire: CSV fields or a JSON object line; `name` is the record's basics.name.
void print_hires_header(Context& ctx);
void print_hire(Context& ctx, const ledger::Tracked& row, const std::string& name, bool json);
// `hires --format table`: the hires with their names as one table fitted to the terminal.
void print_hires_table(Context& ctx,
                       const std::vector<std::pair<const ledger::Tracked*, std::string>>& hires);

// RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled.
std::string csv_field(const std::string& text);

} // namespace pjats::cli
