#include <pjats/core/json_writer.hpp>
#include <pjats/http/redact.hpp>
#include <pjats/lever/card.hpp>
#include <pjats/lever/target.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>
#include <system_error>

namespace pjats::lever {

OpportunityOptions options_for(const send::Placement& placement) {
    OpportunityOptions options;
    options.posting_id = placement.lever_posting;
    options.origin = placement.lever_origin;
    return options;
}

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return text;
}

} // namespace

std::string LeverTarget::credited_email(const model::Candidate& candidate,
                                        const send::Placement& placement) const {
    const std::string& email =
        !placement.credit_email.empty() ? placement.credit_email : candidate.exported_by;
    return lower(email) == lower(m_perform_as_email) ? std::string() : email;
}

Result<std::string> LeverTarget::perform_as(const model::Candidate& candidate,
                                            const send::Placement& placement) {
    const std::string email = credited_email(candidate, placement);
    if (email.empty()) {
        return m_perform_as;
    }
    const std::string key = lower(email);
    const auto cached = [&]() -> std::optional<Result<std::string>> {
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (const auto it = m_users.find(key); it != m_users.end()) {
            return it->second;
        }
        return std::nullopt;
    };
    if (auto known = cached()) {
        return *known;
    }
    // One look-up at a time, so concurrent workers ask about each user once.
    const std::lock_guard<std::mutex> looking(m_looking);
    if (auto known = cached()) {
        return *known;
    }
    auto user = m_client.user_by_email(email);
    if (!user && user.error().kind != ErrorKind::not_found) {
        return std::move(user).error(); // temporary and the like: not cached
    }
    Result<std::string> id =
        user ? Result<std::string>(user->id)
             : Result<std::string>(make_error(ErrorKind::validation,
                                              "Lever has no active user " + email
                                                  + " to perform the send as (perform_as)"));
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_users.emplace(key, id);
    return id;
}

Result<bool> LeverTarget::reaches_user(const std::string& user, const std::string& /*proof*/) {
    return m_client.user_exists(user);
}

Status LeverTarget::prepare(send::Placement& placement) {
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_run_credit_email = placement.credit_email;
    }
    if (placement.credit_email.empty()) {
        return {};
    }
    auto id = perform_as(model::Candidate{}, placement);
    if (!id && id.error().kind == ErrorKind::validation) {
        Error error = std::move(id).error();
        error.kind = ErrorKind::usage;
        error.message = "--on-behalf-of: " + error.message;
        return error;
    }
    if (!id) {
        return std::move(id).error();
    }
    return {};
}

Result<std::string> LeverTarget::step_user(const model::Candidate& candidate) {
    send::Placement placement;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        placement.credit_email = m_run_credit_email;
    }
    return perform_as(candidate, placement);
}

Result<std::string> LeverTarget::credit(const model::Candidate& candidate,
                                        const send::Placement& placement) {
    auto id = perform_as(candidate, placement);
    if (!id) {
        return std::move(id).error();
    }
    const std::string email = credited_email(candidate, placement);
    if (!email.empty()) {
        return email;
    }
    return m_perform_as_email.empty() ? "user:" + m_perform_as : m_perform_as_email;
}

std::string LeverTarget::destination(const send::Placement& placement) const {
    return send::Destination::posting(placement.lever_posting).key();
}

namespace {

// Multipart fields that name the person: shown as their first character and "***", like
// the -v trace shows JSON values of those keys.
bool is_person_part(const std::string& name) {
    return name == "name" || name == "headline" || name == "location";
}

std::string masked(const std::string& value) {
    if (value.empty()) {
        return value;
    }
    std::size_t first = 1;
    while (first < value.size() && (static_cast<unsigned char>(value[first]) & 0xC0) == 0x80) {
        ++first;
    }
    return value.substr(0, first) + "***";
}

} // namespace

Result<std::string> LeverTarget::describe_request(const model::Candidate& candidate,
                                                  const send::Placement& placement) {
    auto request =
        m_client.create_opportunity_request(options_for(placement), candidate, m_perform_as);
    if (!request) {
        return std::move(request).error();
    }
    // A dry run makes no request: a credited e-mail is named, not yet resolved to its id.
    std::string perform_as = "perform_as=" + m_perform_as;
    if (const std::string email = credited_email(candidate, placement); !email.empty()) {
        perform_as = "perform_as={user id of " + http::mask_email(email) + "}";
    }
    auto with_user = [&](std::string url) {
        const std::string id = "perform_as=" + m_perform_as;
        if (const auto at = url.find(id); at != std::string::npos) {
            url.replace(at, id.size(), perform_as);
        }
        return url;
    };
    std::string text = request->method + " " + with_user(request->url) + "\n";
    if (request->form.empty()) {
        text += http::redact_text(request->body) + "\n";
    } else {
        text += "Content-Type: multipart/form-data\n";
    }
    for (const http::FormPart& part : request->form) {
        if (part.file_path.empty()) {
            text += part.name + "="
                    + (is_person_part(part.name) ? masked(part.value)
                                                 : http::redact_text(part.value))
                    + "\n";
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
    // The follow-up steps on the opportunity the create makes (its id is not known yet).
    const std::string opportunity = m_client.base_url() + "/v1/opportunities/{opportunity id}";
    for (const std::string& step : steps_for(candidate)) {
        text += "\n";
        if (step == "note") {
            JsonWriter body;
            body.begin_object().key("value").value(card_note(candidate)).end_object();
            text += "POST " + opportunity + "/notes?" + perform_as + "\n"
                    + "Content-Type: application/json\n" + http::redact_text(body.str()) + "\n";
        } else if (step == "file") {
            text += "POST " + opportunity + "/files?" + perform_as + "\n"
                    + "Content-Type: multipart/form-data\n" + "file=@"
                    + resume_file_name(candidate, "") + ".<type> (downloaded from "
                    + http::redact_url(candidate.resume_url) + ")\n";
        }
    }
    return text;
}

Result<send::Outcome> LeverTarget::create(const model::Candidate& candidate,
                                          const send::Placement& placement) {
    auto user = perform_as(candidate, placement); // cached after the first look-up
    if (!user) {
        return std::move(user).error();
    }
    auto created = m_client.create_opportunity(options_for(placement), candidate, *user);
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
