// meta.purposeJobs.resumeFile confinement: see resume_path.hpp and docs/record-format.md.
#include "model/resume_path.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace pjats::model {

namespace {

namespace fs = std::filesystem;

// `path` absolute, with symbolic links in its existing part followed and without a
// trailing separator; empty on error.
fs::path resolve(const fs::path& path) {
    std::error_code ec;
    fs::path absolute = fs::absolute(path, ec);
    if (ec) {
        return {};
    }
    fs::path resolved = fs::weakly_canonical(absolute, ec);
    if (ec) {
        return {};
    }
    if (!resolved.has_filename() && resolved.has_relative_path()) {
        resolved = resolved.parent_path();
    }
    return resolved;
}

// True when `path` is strictly below `root` (both resolved).
bool is_inside(const fs::path& path, const fs::path& root) {
    const auto root_count = std::distance(root.begin(), root.end());
    const auto path_count = std::distance(path.begin(), path.end());
    if (path_count <= root_count) {
        return false;
    }
    return std::equal(root.begin(), root.end(), path.begin());
}

// The first component of `resolved` that does not exist; empty when all of it exists.
fs::path first_missing(const fs::path& resolved) {
    fs::path prefix;
    for (const fs::path& part : resolved) {
        prefix /= part;
        std::error_code ec;
        const fs::file_status status = fs::symlink_status(prefix, ec);
        if (status.type() == fs::file_type::not_found || fs::is_symlink(status)) {
            return prefix;
        }
    }
    return {};
}

} // namespace

ResumePath resolve_resume_file(std::string_view name,
                               const std::string& base_dir,
                               const std::string& root_dir) {
    ResumePath result;
    if (base_dir.empty()) {
        result.problem = "a record without a local folder (url source) cannot name a local "
                         "file; use meta.purposeJobs.resumeUrl";
        return result;
    }
    const fs::path root = resolve(root_dir.empty() ? fs::path(base_dir) : fs::path(root_dir));
    const fs::path file(name);
    const fs::path resolved = resolve(file.is_absolute() ? file : fs::path(base_dir) / file);
    if (root.empty() || resolved.empty()) {
        result.problem = "cannot be resolved to a file";
        return result;
    }
    const std::string outside =
        "must name a file inside " + root.string() + " (checked after following symbolic links)";
    if (!is_inside(resolved, root)) {
        result.problem = outside;
        return result;
    }
    // weakly_canonical stops at the first missing component; if that is a dangling
    // symbolic link, the file could later appear anywhere it points.
    const fs::path missing = first_missing(resolved);
    std::error_code ec;
    if (!missing.empty() && fs::is_symlink(fs::symlink_status(missing, ec))) {
        result.problem = outside;
        return result;
    }
    const fs::file_status status = fs::status(resolved, ec);
    if (missing.empty() && !fs::is_regular_file(status)) {
        result.problem = "must name a regular file";
        return result;
    }
    result.path = resolved.string();
    return result;
}

} // namespace pjats::model
