#pragma once

// The refresh shared by `track` and `hires`: asks each ATS about the sent ledger rows
// (lib/src/track) and writes what it saw to the ledger's tracking table.

#include "context.hpp"

#include <pjats/ledger/ledger.hpp>
#include <pjats/send/tally.hpp>

#include <string>
#include <vector>

namespace pjats::cli {

struct RefreshRequest {
    std::string to;                  // "greenhouse", "lever", or "" for both
    std::vector<std::string> ids;    // only these Purpose Jobs ids; empty: every sent row
};

struct RefreshedRow {
    ledger::Tracked row;
    bool changed = false; // state or stage moved since the last track (or first seen)
};

struct Refresh {
    std::vector<RefreshedRow> rows;  // in ledger key order
    std::vector<std::pair<ledger::Key, Error>> failed;
    send::Tally tally;               // the exit code (send::Tally's rule)
};

// Refreshes from the ATSs; an error only when nothing could be asked (ledger, config).
Result<Refresh> refresh(Context& ctx, const RefreshRequest& request);

} // namespace pjats::cli
