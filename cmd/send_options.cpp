#include "send_options.hpp"

#include <pjats/model/record.hpp>

#include <stdexcept>

namespace pjats::cli {

Result<send::Placement> placement_for(const SendOptions& opts) {
    send::Placement placement;
    if (!opts.job.empty()) {
        if (opts.to != "greenhouse") {
            return make_error(ErrorKind::usage,
                              "--job is for --to greenhouse; use --posting for Lever");
        }
        try {
            std::size_t used = 0;
            const long long job = std::stoll(opts.job, &used);
            if (used != opts.job.size() || job <= 0) {
                throw std::invalid_argument("job");
            }
            placement.greenhouse_job = job;
        } catch (const std::exception&) {
            return make_error(ErrorKind::usage,
                              "--job must be a Greenhouse job id (a positive integer)");
        }
    }
    if (!opts.posting.empty()) {
        if (opts.to != "lever") {
            return make_error(ErrorKind::usage,
                              "--posting is for --to lever; use --job for Greenhouse");
        }
        placement.lever_posting = opts.posting;
    }
    if (!opts.on_behalf_of.empty() && !model::looks_like_email(opts.on_behalf_of)) {
        return make_error(ErrorKind::usage, "--on-behalf-of takes the e-mail address of a user");
    }
    placement.credit_email = opts.on_behalf_of;
    const bool pool_flags = !opts.pool.empty() || !opts.pool_stage.empty()
                            || !opts.prospect_owner.empty();
    if (pool_flags && (opts.to != "greenhouse" || !opts.job.empty())) {
        return make_error(ErrorKind::usage, "--pool, --pool-stage and --prospect-owner are for "
                                            "Greenhouse prospects (--to greenhouse, no --job)");
    }
    if (!opts.pool_stage.empty() && opts.pool.empty()) {
        return make_error(ErrorKind::usage, "--pool-stage goes with --pool NAME");
    }
    if (!opts.prospect_owner.empty() && !model::looks_like_email(opts.prospect_owner)) {
        return make_error(ErrorKind::usage, "--prospect-owner takes the e-mail address of a user");
    }
    placement.greenhouse_pool_name = opts.pool;
    placement.greenhouse_pool_stage_name = opts.pool_stage;
    placement.prospect_owner = opts.prospect_owner;
    return placement;
}

} // namespace pjats::cli
