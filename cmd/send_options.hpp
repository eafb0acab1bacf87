#pragma once

// `pj-ats send`'s flags, and the send::Placement they stand for.

#include <pjats/core/result.hpp>
#include <pjats/send/target.hpp>

#include <string>
#include <vector>

namespace pjats::cli {

struct SendOptions {
    std::vector<std::string> ids;
    std::string to;
    std::string job;
    std::string posting;
    std::string ids_from;
    std::string file;
    std::string on_behalf_of;
    std::string pool;
    std::string pool_stage;
    std::string prospect_owner;
    double rate = 0; // --rate: requests per second, 0 unlimited
    int burst = 0;   // --burst: requests let go at once before pacing, 0 when not given
    bool dry_run = false;
    bool force = false;
    std::string metrics_file; // --metrics-file
};

// The placement of --job/--posting, --on-behalf-of and Greenhouse's --pool, --pool-stage and
// --prospect-owner (names still unresolved: Target::prepare). A usage error for a flag
// that does not fit the target or is malformed.
Result<send::Placement> placement_for(const SendOptions& opts);

} // namespace pjats::cli
