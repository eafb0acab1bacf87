// Whether a source knows a Purpose Jobs job (link-job's check of the id it links).

#include <pjats/source/source.hpp>

namespace pjats::source {

Result<JobPresence> job_presence(Source& source, const std::string& job_id) {
    auto page = source.applications(job_id, "", 1);
    if (!page) {
        if (page.error().kind == ErrorKind::not_found) {
            return JobPresence::unknown_job;
        }
        return std::move(page).error();
    }
    if (page->applications.empty() && page->errors.empty()) {
        return JobPresence::no_applications;
    }
    return JobPresence::has_applications;
}

} // namespace pjats::source
