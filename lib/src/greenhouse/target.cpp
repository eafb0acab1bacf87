// Greenhouse as a send::Target: credit (On-Behalf-Of per send), placement, create.
#include <pjats/greenhouse/mapping.hpp>
#include <pjats/greenhouse/target.hpp>
#include <pjats/http/redact.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

namespace pjats::greenhouse {

namespace {

CandidateOptions options_for(const send::Placement& placement) {
    CandidateOptions options;
    options.job_id = placement.greenhouse_job;
    options.pool_id = placement.greenhouse_pool;
    options.pool_stage_id = placement.greenhouse_pool_stage;
    options.prospect_owner_email = placement.prospect_owner;
    return options;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return text;
}

// A refused user as a usage error of `flag`, for prepare().
Status as_usage(Status checked, const char* flag) {
    if (!checked && checked.error().kind == ErrorKind::validation) {
        Error error = std::move(checked).error();
        error.kind = ErrorKind::usage;
        error.message = std::string(flag) + ": " + error.message;
        return error;
    }
    return checked;
}

} // namespace

std::string GreenhouseTarget::credited_email(const model::Candidate& candidate,
                                             const send::Placement& placement) const {
    if (!placement.credit_email.empty()) {
        return placement.credit_email;
    }
    return candidate.exported_by.empty() ? m_client.on_behalf_of() : candidate.exported_by;
}

Result<bool> GreenhouseTarget::reaches_user(const std::string& user, const std::string& proof) {
    if (proof.empty()) {
        return false;
    }
    auto seen = m_client.current_user_as(proof);
    if (!seen) {
        if (seen.error().http_status == 401) {
            return false; // not an active user of this key's organization
        }
        return std::move(seen).error();
    }
    return seen->id != 0 && std::to_string(seen->id) == user;
}

Status GreenhouseTarget::check_user(const std::string& email) {
    const std::string key = lower(email);
    if (key == lower(m_client.on_behalf_of())) {
        return {}; // the profile's user, verified by configure and every read
    }
    const auto cached = [&]() -> std::optional<Status> {
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (m_active.count(key) != 0) {
            return Status{};
        }
        if (const auto it = m_refused.find(key); it != m_refused.end()) {
            return Status(it->second);
        }
        return std::nullopt;
    };
    if (auto known = cached()) {
        return *known;
    }
    // One check at a time, so concurrent workers ask about each user once.
    const std::lock_guard<std::mutex> checking(m_checking);
    if (auto known = cached()) {
        return *known;
    }
    auto user = m_client.current_user_as(email);
    if (!user && user.error().kind == ErrorKind::auth) {
        // 401 is also the answer to a bad key: tell the two apart with the profile's user.
        if (auto own = m_client.current_user(); !own) {
            return std::move(own).error();
        }
        Error refused = make_error(ErrorKind::validation,
                                   "Greenhouse has no active user " + email
                                       + " (On-Behalf-Of refused: not a user, or disabled)");
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_refused.emplace(key, refused);
        return refused;
    }
    if (!user) {
        return std::move(user).error(); // temporary and the like: not cached
    }
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_active.emplace(key, true);
    return {};
}

Status GreenhouseTarget::prepare(send::Placement& placement) {
    if (!placement.credit_email.empty()) {
        PJATS_TRY(as_usage(check_user(placement.credit_email), "--on-behalf-of"));
    }
    if (!placement.prospect_owner.empty()) {
        PJATS_TRY(as_usage(check_user(placement.prospect_owner), "--prospect-owner"));
    }
    if (!placement.greenhouse_pool_name.empty()) {
        auto pools = m_client.prospect_pools();
        if (!pools) {
            return std::move(pools).error();
        }
        auto found = find_pool(*pools, placement.greenhouse_pool_name,
                               placement.greenhouse_pool_stage_name);
        if (!found) {
            return std::move(found).error();
        }
        placement.greenhouse_pool = found->first;
        placement.greenhouse_pool_stage = found->second;
    }
    return {};
}

Result<std::string> GreenhouseTarget::credit(const model::Candidate& candidate,
                                             const send::Placement& placement) {
    const std::string email = credited_email(candidate, placement);
    PJATS_TRY(check_user(email));
    return email;
}

std::string GreenhouseTarget::destination(const send::Placement& placement) const {
    return placement.greenhouse_job ? send::Destination::job(*placement.greenhouse_job).key()
                                    : std::string();
}

Result<std::string> GreenhouseTarget::describe_request(const model::Candidate& candidate,
                                                       const send::Placement& placement) {
    http::Request request = m_client.create_request(
        candidate_body(candidate, options_for(placement)), credited_email(candidate, placement));
    // Redacted as the -v trace redacts: the key, the user's e-mail, the person's fields.
    std::string text = request.method + " " + request.url + "\n";
    for (const auto& header : request.headers) {
        text += header.name + ": " + http::redact_header(header.name, header.value) + "\n";
    }
    text += "\n" + http::redact_text(request.body) + "\n";
    return text;
}

Result<send::Outcome> GreenhouseTarget::create(const model::Candidate& candidate,
                                               const send::Placement& placement) {
    auto email = credit(candidate, placement); // cached after the first check
    if (!email) {
        return std::move(email).error();
    }
    auto created =
        m_client.create_candidate(candidate_body(candidate, options_for(placement)), *email);
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
