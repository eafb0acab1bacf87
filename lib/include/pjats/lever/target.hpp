#pragma once

#include <pjats/lever/client.hpp>
#include <pjats/send/target.hpp>

#include <map>
#include <mutex>
#include <string>

namespace pjats::lever {

// Lever as a send::Target: POST /v1/opportunities?perform_as=… tagged "Purpose Jobs",
// with the placement's posting and origin. Unknown outcomes can be looked up by email.
class LeverTarget final : public send::Target {
  public:
    // `perform_as` is the Lever user id a create is performed as unless a send is
    // credited to someone else (send::Placement::credit_email, the record's exportedBy),
    // whose user id is found by e-mail (GET /users?email=, once per run, cached).
    // `perform_as_email`: the profile's e-mail for that user ("" when unknown).
    // `account`: the ledger's account key (see account_key in send/target.hpp).
    // `perform_as_email`: the profile's user's e-mail (credit by e-mail falls back to it);
    // `downloads`: the transport résumés are fetched with (no credentials); null: a record
    // with a resumeUrl gets its file step failed with a clear error.
    LeverTarget(Client& client, std::string perform_as, std::string account = {},
                std::string perform_as_email = {}, http::Transport* downloads = nullptr)
        : m_client(client),
          m_perform_as(std::move(perform_as)),
          m_account(std::move(account)),
          m_perform_as_email(std::move(perform_as_email)),
          m_downloads(downloads) {}

    std::string name() const override {
        return "lever";
    }

    std::string account() const override {
        return m_account;
    }

    // Who the credential acts as (the perform_as user); set once before a run.
    void set_org_identity(send::OrgIdentity identity) { m_org = std::move(identity); }
    send::OrgIdentity org_identity() const override { return m_org; }
    // GET /v1/users/:user answers 200: the user is in this credential's account (also a
    // deactivated one); 404 is false.
    Result<bool> reaches_user(const std::string& user, const std::string& proof) override;
    void set_account(std::string account) override { m_account = std::move(account); }

    // Checks --on-behalf-of (a usage error when Lever has no such active user).
    Status prepare(send::Placement& placement) override;

    // The credited e-mail, or "user:<id>" for the profile's user without a known e-mail.
    Result<std::string> credit(const model::Candidate& candidate,
                               const send::Placement& placement) override;

    // "posting:<id>" with a posting, else "".
    std::string destination(const send::Placement& placement) const override;

    // "POST <url>\n" then the JSON body, or for a résumé upload one line per multipart part
    // ("name=value", the file as "resumeFile=@name.pdf (N bytes)").
    Result<std::string> describe_request(const model::Candidate& candidate,
                                         const send::Placement& placement) override;

    // Outcome: remote_id = opportunity id, detail = contact id, deduped as Lever said.
    Result<send::Outcome> create(const model::Candidate& candidate,
                                 const send::Placement& placement) override;

    bool can_look_up() const override {
        return true;
    }

    // The newest opportunity tagged "Purpose Jobs" for the candidate's email (on the
    // placement's posting; without a posting, only opportunities without an application),
    // with found_existing set; nullopt when there is none. A candidate without an email
    // cannot be looked up: a `failure` error says so.
    Result<std::optional<send::Outcome>> find_existing(const model::Candidate& candidate,
                                                       const send::Placement& placement) override;

    // "note" (the card: lever/card.hpp), then "file" when the record has a resumeUrl and
    // no resumeFile (a local file goes with the create, as resumeFile).
    std::vector<std::string> steps_for(const model::Candidate& candidate) const override;

    // note: POST /v1/opportunities/:id/notes with card_note(); file: the résumé fetched
    // (source::fetch_resume) and uploaded unchanged to /v1/opportunities/:id/files as
    // resume_file_name(). The id of the note / file.
    Result<std::string> do_step(const std::string& step, const std::string& remote_id,
                                const model::Candidate& candidate) override;

    // The note carrying note_marker() / the file named resume_file_name() (any type).
    Result<std::optional<std::string>> find_step(const std::string& step,
                                                 const std::string& remote_id,
                                                 const model::Candidate& candidate) override;

  private:
    // The credited e-mail by precedence; "" for the profile's user.
    std::string credited_email(const model::Candidate& candidate,
                               const send::Placement& placement) const;
    // The perform_as user id for a send of `candidate` (a validation error when the
    // credited e-mail is no active Lever user).
    Result<std::string> perform_as(const model::Candidate& candidate,
                                   const send::Placement& placement);
    // The perform_as user of the note and file calls: the one the opportunity was
    // credited to (the run's --on-behalf-of, remembered by prepare(), else the record's
    // exportedBy, else the profile's user).
    Result<std::string> step_user(const model::Candidate& candidate);
    Result<std::string> upload_resume(const std::string& remote_id,
                                      const model::Candidate& candidate,
                                      const std::string& user);

    Client& m_client;
    std::string m_perform_as;
    std::string m_account;
    send::OrgIdentity m_org;
    std::string m_perform_as_email;
    std::mutex m_mutex;   // guards m_users and m_run_credit_email
    std::string m_run_credit_email; // prepare()'s placement.credit_email
    std::mutex m_looking; // held while a user is being looked up
    std::map<std::string, Result<std::string>> m_users; // lower-cased e-mail → user id
    http::Transport* m_downloads;
};

// The OpportunityOptions a placement stands for (posting, origin; no extra tags).
OpportunityOptions options_for(const send::Placement& placement);

} // namespace pjats::lever
