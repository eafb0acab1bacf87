#pragma once

#include <pjats/greenhouse/client.hpp>
#include <pjats/send/target.hpp>

namespace pjats::greenhouse {

// Greenhouse as a send::Target. It cannot look candidates up by external_id, so an
// unknown outcome must go to review instead of being re-sent.
class GreenhouseTarget final : public send::Target {
  public:
    // `account`: the ledger's account key for the Greenhouse account the client acts for.
    explicit GreenhouseTarget(Client& client, std::string account = {})
        : m_client(client),
          m_account(std::move(account)) {}

    std::string name() const override { return "greenhouse"; }
    std::string account() const override { return m_account; }

    std::string destination(const send::Placement& placement) const override;
    Result<std::string> describe_request(const model::Candidate& candidate,
                                         const send::Placement& placement) override;
    Result<send::Outcome> create(const model::Candidate& candidate,
                                 const send::Placement& placement) override;

    bool can_look_up() const override { return false; }

    Result<std::optional<send::Outcome>> find_existing(const model::Candidate& candidate,
                                                       const send::Placement& placement) override;

  private:
    Client& m_client;
    std::string m_account;
};

} // namespace pjats::greenhouse
