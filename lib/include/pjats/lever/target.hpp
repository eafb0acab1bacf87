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
    LeverTarget(Client& client, std::string perform_as, std::string account = {},
                std::string perform_as_email = {})
        : m_client(client),
          m_perform_as(std::move(perform_as)),
          m_account(std::move(account)),
          m_perform_as_email(std::move(perform_as_email)) {}

    std::string name() const override {
        return "lever";
    }

    std::string account() const override {
        return m_account;
    }

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

  private:
    // The credited e-mail by precedence; "" for the profile's user.
    std::string credited_email(const model::Candidate& candidate,
                               const send::Placement& placement) const;
    // The perform_as user id for a send of `candidate` (a validation error when the
    // credited e-mail is no active Lever user).
    Result<std::string> perform_as(const model::Candidate& candidate,
                                   const send::Placement& placement);

    Client& m_client;
    std::string m_perform_as;
    std::string m_account;
    std::string m_perform_as_email;
    std::mutex m_mutex;   // guards m_users
    std::mutex m_looking; // held while a user is being looked up
    std::map<std::string, Result<std::string>> m_users; // lower-cased e-mail → user id
};

// The OpportunityOptions a placement stands for (posting, origin; no extra tags).
OpportunityOptions options_for(const send::Placement& placement);

} // namespace pjats::lever
