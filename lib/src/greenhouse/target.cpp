#include <pjats/greenhouse/mapping.hpp>
#include <pjats/greenhouse/target.hpp>

namespace pjats::greenhouse {

namespace {

CandidateOptions options_for(const send::Placement& placement) {
    CandidateOptions options;
    options.job_id = placement.greenhouse_job;
    return options;
}

} // namespace

std::string GreenhouseTarget::destination(const send::Placement& placement) const {
    return placement.greenhouse_job ? send::Destination::job(*placement.greenhouse_job).key()
                                    : std::string();
}

Result<std::string> GreenhouseTarget::describe_request(const model::Candidate& candidate,
                                                       const send::Placement& placement) {
    http::Request request = m_client.create_request(candidate_body(candidate, options_for(placement)));
    std::string text = request.method + " " + request.url + "\n";
    for (const auto& header : request.headers) {
        if (header.name == "Authorization") {
            text += header.name + ": Basic [REDACTED]\n";
        } else {
            text += header.name + ": " + header.value + "\n";
        }
    }
    text += "\n" + request.body + "\n";
    return text;
}

Result<send::Outcome> GreenhouseTarget::create(const model::Candidate& candidate,
                                               const send::Placement& placement) {
    auto created = m_client.create_candidate(candidate_body(candidate, options_for(placement)));
    if (!created) {
        return std::move(created).error();
    }
    send::Outcome outcome;
    outcome.remote_id = std::to_string(created->id);
    outcome.detail = created->profile_url;
    return outcome;
}

Result<std::optional<send::Outcome>>
GreenhouseTarget::find_existing(const model::Candidate& /*candidate*/,
                                const send::Placement& /*placement*/) {
    return make_error(ErrorKind::failure,
                      "Greenhouse cannot look candidates up by external_id");
}

} // namespace pjats::greenhouse
