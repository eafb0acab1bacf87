// `status`: the Lever posting of every job link is still open (live; skipped --offline).
// A closed or deleted posting is a warning: sync would keep sending the job's applicants
// to a posting nobody is hiring for.
#include "services.hpp"
#include "status/report.hpp"

#include <pjats/lever/posting_check.hpp>

namespace pjats::cli {

void check_linked_postings(Context& ctx,
                           const profile::Profile& profile,
                           bool offline,
                           StatusReport& report) {
    if (offline || !profile.lever || profile.links.empty()) {
        return;
    }
    auto session = open_lever(ctx, profile);
    if (!session) {
        return; // the lever.* checks report why
    }
    const std::string pj = command_prefix(ctx);
    for (const auto& [job, posting] : profile.links) {
        auto open = lever::published_posting(*(*session)->client, posting);
        if (open) {
            continue;
        }
        const ErrorKind kind = open.error().kind;
        if (kind != ErrorKind::validation && kind != ErrorKind::not_found) {
            return; // auth, network: lever.live says so; asking again for each link is noise
        }
        report.warn("link.posting",
                    "Purpose Jobs job " + job + ": " + open.error().message
                        + "; sync would send its applicants there",
                    "link the job to an open posting (" + pj + " link-job " + shell_word(job)
                        + " LEVER_POSTING_ID), or unlink it (" + pj + " link-job --remove "
                        + shell_word(job) + ")");
    }
}

} // namespace pjats::cli
