// LeverTarget's follow-up steps: the card note and the résumé file (docs/ledger.md,
// "Steps"; docs/mapping.md, "Lever note").

#include "core/unique_fd.hpp"

#include <pjats/lever/card.hpp>
#include <pjats/lever/target.hpp>
#include <pjats/source/resume_fetch.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace pjats::lever {

namespace {

constexpr const char* k_note = "note";
constexpr const char* k_file = "file";

// A 403 on a card call means the OAuth grant predates the notes/files scopes.
Error with_scope_advice(Error error, const char* scope) {
    if (error.http_status == 403) {
        error.message += std::string(" — the Lever credentials need the ") + scope
                         + " scope: run `pj-ats configure lever --oauth` again (a Super Admin "
                           "approves the new scope), or use an API key allowed to use it";
    }
    return error;
}

// The downloaded bytes in a private temporary file (0600), removed on destruction.
class TempFile {
  public:
    ~TempFile() {
        if (!m_path.empty()) {
            ::unlink(m_path.c_str());
        }
    }

    Status write(const std::string& bytes) {
        const char* dir = std::getenv("TMPDIR");
        std::string name = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp")
                           + "/pj-ats-resume-XXXXXX";
        const int fd = ::mkstemp(name.data()); // mode 0600
        if (fd < 0) {
            return make_error(ErrorKind::failure, std::string("cannot create a temporary file "
                                                              "for the résumé: ")
                                                      + std::strerror(errno));
        }
        core::UniqueFd owned(fd);
        m_path = name;
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return make_error(ErrorKind::failure, std::string("cannot write the résumé to "
                                                                  "a temporary file: ")
                                                          + std::strerror(errno));
            }
            done += static_cast<std::size_t>(n);
        }
        return {};
    }

    const std::string& path() const {
        return m_path;
    }

  private:
    std::string m_path;
};

} // namespace

std::vector<std::string> LeverTarget::steps_for(const model::Candidate& candidate) const {
    std::vector<std::string> steps{k_note};
    if (!candidate.resume_url.empty() && candidate.resume_file.empty()) {
        steps.emplace_back(k_file);
    }
    return steps;
}

Result<std::string> LeverTarget::do_step(const std::string& step, const std::string& remote_id,
                                         const model::Candidate& candidate) {
    if (step != k_note && step != k_file) {
        return send::Target::do_step(step, remote_id, candidate);
    }
    auto user = step_user(candidate); // cached: the user the create was credited to
    if (!user) {
        return std::move(user).error();
    }
    if (step == k_note) {
        auto note = m_client.create_note(remote_id, card_note(candidate), *user);
        if (!note) {
            return with_scope_advice(std::move(note).error(), "notes:write:admin");
        }
        return note;
    }
    return upload_resume(remote_id, candidate, *user);
}

Result<std::string> LeverTarget::upload_resume(const std::string& remote_id,
                                               const model::Candidate& candidate,
                                               const std::string& user) {
    if (candidate.resume_url.empty()) {
        return make_error(ErrorKind::validation,
                          "the record no longer has a meta.purposeJobs.resumeUrl to attach",
                          "meta.purposeJobs.resumeUrl");
    }
    if (m_downloads == nullptr) {
        return make_error(ErrorKind::failure, "no transport to download the résumé with");
    }
    auto fetched = source::fetch_resume(*m_downloads, candidate.resume_url);
    if (!fetched) {
        return std::move(fetched).error();
    }
    TempFile file;
    PJATS_TRY(file.write(fetched->bytes));
    auto uploaded =
        m_client.upload_file(remote_id, file.path(),
                             resume_file_name(candidate, fetched->content_type),
                             fetched->content_type, user);
    if (!uploaded) {
        return with_scope_advice(std::move(uploaded).error(), "files:write:admin");
    }
    return uploaded;
}

Result<std::optional<std::string>> LeverTarget::find_step(const std::string& step,
                                                          const std::string& remote_id,
                                                          const model::Candidate& candidate) {
    if (step == k_note) {
        auto notes = m_client.list_notes(remote_id);
        if (!notes) {
            return with_scope_advice(std::move(notes).error(), "notes:write:admin");
        }
        for (const Client::NoteText& note : *notes) {
            if (is_card_note(note.text, candidate)) {
                return std::optional<std::string>(note.id);
            }
        }
        return std::optional<std::string>();
    }
    if (step == k_file) {
        auto files = m_client.list_files(remote_id);
        if (!files) {
            return with_scope_advice(std::move(files).error(), "files:write:admin");
        }
        // The extension depends on the served type: match the stem.
        const std::string stem = resume_file_name(candidate, "");
        for (const Client::FileName& file : *files) {
            if (file.name.rfind(stem, 0) == 0
                && file.name.find('.', stem.size()) == stem.size()) {
                return std::optional<std::string>(file.id);
            }
        }
        return std::optional<std::string>();
    }
    return send::Target::find_step(step, remote_id, candidate);
}

} // namespace pjats::lever
