#pragma once

#include <pjats/greenhouse/client.hpp>
#include <pjats/send/target.hpp>

namespace pjats::greenhouse {

// Greenhouse as a send::Target. It cannot look candidates up by external_id, so an
// unknown outcome must go to review instead of being re-sent.
class GreenhouseTarget final : public send::Target {
  public:
    explicit GreenhouseTarget(Client& client) : m_client(client) {}

    std::string name() const override { return "greenhouse"; }

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
};

} // namespace pjats::greenhouse
