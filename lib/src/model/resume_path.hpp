#pragma once

// Confines meta.purposeJobs.resumeFile to the folder a record came from, so a record (which
// may come from an untrusted export) cannot make pj-ats upload an arbitrary local file.

#include <string>
#include <string_view>

namespace pjats::model {

// The outcome of resolve_resume_file: `path` when the name is acceptable, else `problem`
// (a message for the field meta.purposeJobs.resumeFile that never echoes the name).
struct ResumePath {
    std::string path;
    std::string problem;
};

// Resolves `name` (relative names against `base_dir`) and follows symbolic links: the result
// must lie strictly inside `root_dir` (a folder containing `base_dir`), and when it exists it
// must be a regular file. A missing file is accepted here (the Lever upload reports it). An
// empty `base_dir` means the record has no local folder (url source): any name is refused.
ResumePath resolve_resume_file(std::string_view name,
                               const std::string& base_dir,
                               const std::string& root_dir);

} // namespace pjats::model
