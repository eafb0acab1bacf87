#include <pjats/lever/target.hpp>

#include <filesystem>
#include <system_error>

namespace pjats::lever {

OpportunityOptions options_for(const send::Placement& placement) {
    OpportunityOptions options;
    options.posting_id = placement.lever_posting;
    options.origin = placement.lever_origin;
    return options;
}

std::string LeverTarget::destination(const send::Placement& placement) const {
    return send::Destination::posting(placement.lever_posting).key();
}

Result<std::string> LeverTarget::describe_request(const model::Candidate& candidate,
                                                  const send::Placement& placement) {
    auto request =
        m_client.create_opportunity_request(options_for(placement), candidate, m_perform_as);
    if (!request) {
        return std::move(request).error();
    }
    std::string text = request->method + " " + request->url + "\n";
    if (request->form.empty()) {
        return text + request->body + "\n";
    }
    text += "Content-Type: multipart/form-data\n";
    for (const http::FormPart& part : request->form) {
        if (part.file_path.empty()) {
            text += part.name + "=" + part.value + "\n";
            continue;
        }
        std::error_code ignored;
        const std::uintmax_t size = std::filesystem::file_size(part.file_path, ignored);
        const std::string filename = part.filename.empty()
                                         ? std::filesystem::path(part.file_path).filename().string()
                                         : part.filename;
        text +=
            part.name + "=@" + filename + " (" + std::to_string(ignored ? 0 : size) + " bytes)\n";
    }
    return text;
}

Result<send::Outcome> LeverTarget::create(const model::Candidate& candidate,
                                          const send::Placement& placement) {
    auto created = m_client.create_opportunity(options_for(placement), candidate, m_perform_as);
    if (!created) {
        return std::move(created).error();
    }
    send::Outcome outcome;
    outcome.remote_id = created->id;
    outcome.detail = created->contact;
    outcome.deduped = created->deduped;
    return outcome;
}

Result<std::optional<send::Outcome>> LeverTarget::find_existing(const model::Candidate& candidate,
                                                                const send::Placement& placement) {
    if (candidate.email.empty()) {
        return make_error(ErrorKind::failure,
                          "cannot look the candidate up in Lever: the record has no email "
                          "address");
    }
    auto found =
        m_client.find_opportunities(candidate.email, k_purpose_jobs_tag, placement.lever_posting);
    if (!found) {
        return std::move(found).error();
    }
    const OpportunitySummary* newest = nullptr;
    for (const OpportunitySummary& item : *found) {
        // Without a posting we created an opportunity without an application; one with an
        // application belongs to another placement.
        if (placement.lever_posting.empty() && !item.applications.empty()) {
            continue;
        }
        if (newest == nullptr || item.created_at > newest->created_at) {
            newest = &item;
        }
    }
    if (newest == nullptr) {
        return std::optional<send::Outcome>();
    }
    send::Outcome outcome;
    outcome.remote_id = newest->id;
    outcome.detail = newest->contact;
    outcome.found_existing = true;
    return std::optional<send::Outcome>(std::move(outcome));
}

} // namespace pjats::lever
