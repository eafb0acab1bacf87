#pragma once

#include <pjats/greenhouse/client.hpp>
#include <pjats/send/target.hpp>

#include <map>
#include <mutex>

namespace pjats::greenhouse {

// Greenhouse as a send::Target. It cannot look candidates up by external_id, so an
// unknown outcome must go to review instead of being re-sent.
//
// Credit: the create request's On-Behalf-Of is the credited user (send::Placement), checked
// once per run with GET current_user as that user and cached. Every read (jobs, prospect
// pools) keeps the profile's user: a basic user may create prospects but not read them.
class GreenhouseTarget final : public send::Target {
  public:
    // `account`: the ledger's account key for the Greenhouse account the client acts for.
    explicit GreenhouseTarget(Client& client, std::string account = {})
        : m_client(client),
          m_account(std::move(account)) {}

    std::string name() const override { return "greenhouse"; }
    std::string account() const override { return m_account; }

    // Who the key acts as: the On-Behalf-Of user's id (current_user) and e-mail; set once
    // before a run (app::Services).
    void set_org_identity(send::OrgIdentity identity) { m_org = std::move(identity); }
    send::OrgIdentity org_identity() const override { return m_org; }
    // current_user with On-Behalf-Of `proof` (the user's e-mail) answers with id `user`:
    // that user is in this key's organization (Greenhouse user ids belong to one). A 401
    // (no such active user for this key) is false.
    Result<bool> reaches_user(const std::string& user, const std::string& proof) override;
    void set_account(std::string account) override { m_account = std::move(account); }

    Status prepare(send::Placement& placement) override;
    Result<std::string> credit(const model::Candidate& candidate,
                               const send::Placement& placement) override;
    std::string destination(const send::Placement& placement) const override;
    Result<std::string> describe_request(const model::Candidate& candidate,
                                         const send::Placement& placement) override;
    Result<send::Outcome> create(const model::Candidate& candidate,
                                 const send::Placement& placement) override;

    bool can_look_up() const override { return false; }

    Result<std::optional<send::Outcome>> find_existing(const model::Candidate& candidate,
                                                       const send::Placement& placement) override;

  private:
    // The credited e-mail by precedence, unchecked.
    std::string credited_email(const model::Candidate& candidate,
                               const send::Placement& placement) const;
    // Whether `email` is an active Greenhouse user (cached; the profile's user always is).
    // A validation error when Greenhouse refuses it.
    Status check_user(const std::string& email);

    Client& m_client;
    std::string m_account;
    send::OrgIdentity m_org;
    std::mutex m_mutex;    // guards the two maps
    std::mutex m_checking; // held while a user is being checked
    std::map<std::string, Error> m_refused; // lower-cased e-mail → why
    std::map<std::string, bool> m_active;   // lower-cased e-mails found active
};

// The ids of prospect pool `pool` and, when not empty, its stage `stage`, by name (exact,
// else the one case-insensitive match). A usage error naming the choices otherwise.
Result<std::pair<std::int64_t, std::optional<std::int64_t>>>
find_pool(const std::vector<ProspectPool>& pools, const std::string& pool, const std::string& stage);

} // namespace pjats::greenhouse
