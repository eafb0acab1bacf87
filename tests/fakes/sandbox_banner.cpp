// The lines pj-ats-sandbox prints at start: the URL and the sample credentials.
#include "fake_data.hpp"
#include "sandbox_server.hpp"

#include <sstream>

namespace pjats::fakes {

std::string SandboxServer::banner() const {
    const std::string url = base_url();
    std::ostringstream out;
    out << "pj-ats sandbox listening on " << url << "\n";
    out << "PJATS_SANDBOX_URL=" << url << "\n";
    out << "greenhouse_base_url=" << url << "\n";
    out << "greenhouse_api_key=" << k_greenhouse_api_key << "\n";
    out << "greenhouse_on_behalf_of=" << k_greenhouse_on_behalf_of << "\n";
    out << "greenhouse_disabled_user=" << k_greenhouse_disabled_user << "\n";
    out << "greenhouse_job_ids=";
    for (std::size_t i = 0; i < k_greenhouse_jobs.size(); ++i) {
        out << (i == 0 ? "" : ",") << k_greenhouse_jobs[i].id;
    }
    out << "\nlever_base_url=" << url << "\n";
    out << "lever_api_key=" << k_lever_api_key << "\n";
    out << "lever_perform_as=" << k_lever_recruiter_id << "\n";
    out << "lever_users=";
    for (std::size_t i = 0; i < k_lever_users.size(); ++i) {
        if (!k_lever_users[i].deactivated && k_lever_users[i].organization == "acme") {
            out << (i == 0 ? "" : ",") << k_lever_users[i].id << ":" << k_lever_users[i].email;
        }
    }
    out << "\nlever_posting_id=" << k_lever_published_posting_id << "\n";
    out << "lever_closed_posting_id=" << k_lever_closed_posting_id << "\n";
    out << "lever_oauth_client_id=" << k_oauth_client_id << "\n";
    out << "lever_oauth_client_secret=" << k_oauth_client_secret << "\n";
    out << "lever_oauth_authorize_url=" << url << "/authorize\n";
    out << "lever_oauth_token_url=" << url << "/oauth/token\n";
    out << "lever_oauth_audience=" << url << "/v1/\n";
    out << "control_url=" << url << "/_sandbox/state\n\n";
    return out.str();
}

} // namespace pjats::fakes
