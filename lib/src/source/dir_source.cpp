// The `dir` source: a folder holding candidates/<id>.json and applications/<job>/*.json
// (docs/record-format.md). Ids are checked before they become file names, so a lookup can
// never leave the folder.

#include "source/read_file.hpp"

#include <pjats/model/record.hpp>
#include <pjats/source/source.hpp>

#include <algorithm>
#include <filesystem>

namespace pjats::source {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_record_extension = ".json";

Error usage_error(Error error) {
    error.kind = ErrorKind::usage;
    return error;
}

// The application files of one job folder, sorted by name: regular files ending in
// ".json" whose name does not start with '.' (editors' and writers' temporary files).
Result<std::vector<std::string>> list_record_files(const fs::path& folder) {
    std::vector<std::string> names;
    std::error_code ec;
    fs::directory_iterator it(folder, ec);
    if (ec) {
        return make_error(ErrorKind::failure,
                          "cannot list " + folder.string() + ": " + ec.message());
    }
    for (const fs::directory_iterator end; it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.empty() || name.front() == '.' || name.size() <= k_record_extension.size()
            || !name.ends_with(k_record_extension)) {
            continue;
        }
        std::error_code type_ec;
        if (!it->is_regular_file(type_ec)) {
            continue;
        }
        names.push_back(name);
    }
    if (ec) {
        return make_error(ErrorKind::failure,
                          "cannot list " + folder.string() + ": " + ec.message());
    }
    std::sort(names.begin(), names.end());
    return names;
}

class DirSource final : public Source {
  public:
    explicit DirSource(std::string dir)
        : m_dir(std::move(dir)) {
        std::error_code ec;
        const fs::path absolute = fs::absolute(m_dir, ec);
        m_root = ec ? fs::path(m_dir) : absolute.lexically_normal();
    }

    Result<model::Candidate> candidate(const std::string& id) override {
        Status valid = check_record_id(id);
        if (!valid) {
            return usage_error(std::move(valid).error());
        }
        const fs::path folder = m_root / "candidates";
        const std::string origin = "candidates/" + id + ".json";
        Result<std::string> text =
            read_file_capped(folder / (id + ".json"), origin, model::k_max_record_bytes);
        if (!text) {
            if (text.error().kind == ErrorKind::not_found) {
                return make_error(ErrorKind::not_found,
                                  "no record for candidate " + id + " in " + folder.string());
            }
            return std::move(text).error();
        }
        Result<model::Candidate> record =
            model::parse_record(*text, origin, folder.string(), m_root.string());
        if (!record) {
            return record;
        }
        if (record->id != id) {
            return make_error(ErrorKind::validation,
                              origin + ": meta.purposeJobs.id: does not match the file name (" + id
                                  + ".json)",
                              "meta.purposeJobs.id");
        }
        return record;
    }

    Result<Page>
    applications(const std::string& job_id, const std::string& since, std::size_t limit) override {
        Status valid = check_record_id(job_id);
        if (!valid) {
            return usage_error(std::move(valid).error());
        }
        Page page;
        const fs::path folder = m_root / "applications" / job_id;
        std::error_code ec;
        const fs::file_status status = fs::status(folder, ec);
        if (status.type() == fs::file_type::not_found) {
            return page;
        }
        if (ec || !fs::is_directory(status)) {
            return make_error(ErrorKind::failure,
                              "cannot list " + folder.string() + ": "
                                  + (ec ? ec.message() : std::string("not a directory")));
        }
        Result<std::vector<std::string>> names = list_record_files(folder);
        if (!names) {
            return std::move(names).error();
        }
        auto first = std::upper_bound(names->begin(), names->end(), since);
        for (auto it = first; it != names->end(); ++it) {
            if (limit != 0 && page.applications.size() >= limit) {
                break;
            }
            add_application(page, folder, job_id, *it);
        }
        return page;
    }

    std::string describe() const override {
        return "dir " + m_root.string();
    }

  private:
    void add_application(Page& page,
                         const fs::path& folder,
                         const std::string& job_id,
                         const std::string& file_name) const {
        const std::string origin = "applications/" + job_id + "/" + file_name;
        const std::string stem = file_name.substr(0, file_name.size() - k_record_extension.size());
        Status valid_stem = check_record_id(stem);
        if (!valid_stem) {
            page.errors.push_back(make_error(ErrorKind::validation,
                                             origin
                                                 + ": the file name is not a valid "
                                                   "application id"));
            return;
        }
        Result<std::string> text =
            read_file_capped(folder / file_name, origin, model::k_max_record_bytes);
        if (!text) {
            page.errors.push_back(std::move(text).error());
            return;
        }
        Result<model::Candidate> record =
            model::parse_record(*text, origin, folder.string(), m_root.string());
        if (!record) {
            page.errors.push_back(std::move(record).error());
            return;
        }
        model::Application application;
        application.id = stem;
        application.job_id = job_id;
        application.cursor = file_name;
        application.candidate = std::move(record).value();
        page.applications.push_back(std::move(application));
    }

    std::string m_dir;
    fs::path m_root;
};

} // namespace

std::unique_ptr<Source> make_dir_source(const std::string& dir) {
    return std::make_unique<DirSource>(dir);
}

} // namespace pjats::source
