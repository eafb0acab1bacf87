// Greenhouse Candidate Ingestion API client (reference/greenhouse-ingestion-api.md).
#include <pjats/greenhouse/client.hpp>
#include <pjats/http/secrets.hpp>
#include <pjats/http/url.hpp>

#include "http/request_checks.hpp"

#include <rapidjson/document.h>

#include <cctype>
#include <string_view>

namespace pjats::greenhouse {

namespace {

constexpr std::string_view k_partner_prefix = "/v1/partner";

// Iterative parsing: the recursive default overflows the stack on a deeply nested body
// (a 1 MB "[[[[..." crashed; found by fuzz_greenhouse_decode).
constexpr unsigned k_parse_flags = rapidjson::kParseIterativeFlag;

std::string string_member(const rapidjson::Value& object, const char* name) {
    auto it = object.FindMember(name);
    if (it != object.MemberEnd() && it->value.IsString()) {
        return std::string(it->value.GetString(), it->value.GetStringLength());
    }
    return {};
}

Result<std::int64_t> integer_member(const rapidjson::Value& object, const char* name,
                                    const char* what) {
    auto it = object.FindMember(name);
    if (it == object.MemberEnd() || !it->value.IsInt64()) {
        return make_error(ErrorKind::decode,
                          std::string("Greenhouse ") + what + ": response field '" + name
                              + "' is missing or not an integer",
                          name);
    }
    return it->value.GetInt64();
}

Result<rapidjson::Document> parse_body(const http::Response& response, const char* what) {
    rapidjson::Document doc;
    doc.Parse<k_parse_flags>(response.body.c_str(), response.body.size());
    if (doc.HasParseError()) {
        return make_error(ErrorKind::decode,
                          std::string("Greenhouse ") + what + ": response is not valid JSON");
    }
    return doc;
}

} // namespace

std::string normalize_base_url(std::string base_url) {
    while (!base_url.empty() && base_url.back() == '/') {
        base_url.pop_back();
    }
    if (base_url.size() >= k_partner_prefix.size()
        && std::string_view(base_url).substr(base_url.size() - k_partner_prefix.size())
               == k_partner_prefix) {
        base_url.resize(base_url.size() - k_partner_prefix.size());
    }
    return base_url;
}

Client::Client(http::Transport& transport,
               std::string base_url,
               std::string api_key,
               std::string on_behalf_of)
    : m_transport(transport),
      m_base_url(normalize_base_url(std::move(base_url))),
      m_authorization(http::basic_auth(api_key, "")),
      m_on_behalf_of(std::move(on_behalf_of)) {
    http::register_secret(api_key);
}

http::Request Client::make_request(std::string method, std::string path,
                                   const std::string& on_behalf_of) const {
    http::Request request;
    request.method = std::move(method);
    request.url = m_base_url + std::string(k_partner_prefix) + path;
    request.headers.push_back({"Authorization", m_authorization});
    request.headers.push_back({"On-Behalf-Of", on_behalf_of.empty() ? m_on_behalf_of : on_behalf_of});
    request.headers.push_back({"Accept", "application/json"});
    return request;
}

http::Request Client::create_request(const std::string& json_body,
                                     const std::string& on_behalf_of) const {
    http::Request request = make_request("POST", "/candidates", on_behalf_of);
    request.headers.push_back({"Content-Type", "application/json"});
    request.body = json_body;
    return request;
}

Result<http::Response> Client::send(const http::Request& request, const char* what) {
    auto response = m_transport.send(request);
    if (!response) {
        Error error = std::move(response).error();
        error.message = std::string("Greenhouse ") + what + ": " + error.message;
        return error;
    }
    if (!response->ok()) {
        return error_from_response(*response, what);
    }
    return response;
}

Result<CurrentUser> Client::current_user() {
    return current_user_as(m_on_behalf_of);
}

Result<CurrentUser> Client::current_user_as(const std::string& email) {
    auto response = send(make_request("GET", "/current_user", email), "current_user");
    if (!response) {
        return std::move(response).error();
    }
    auto doc = parse_body(*response, "current_user");
    if (!doc) {
        return std::move(doc).error();
    }
    if (!doc->IsObject()) {
        return make_error(ErrorKind::decode, "Greenhouse current_user: expected a JSON object");
    }
    CurrentUser user;
    user.full_name = string_member(*doc, "full_name");
    user.first_name = string_member(*doc, "first_name");
    user.last_name = string_member(*doc, "last_name");
    user.email = string_member(*doc, "email");
    auto id = doc->FindMember("id");
    if (id != doc->MemberEnd() && id->value.IsInt64()) {
        user.id = id->value.GetInt64();
    }
    if (user.full_name.empty()) {
        user.full_name = user.first_name + (user.last_name.empty() ? "" : " " + user.last_name);
    }
    return user;
}

Result<std::vector<Job>> Client::jobs() {
    auto response = send(make_request("GET", "/jobs"), "jobs");
    if (!response) {
        return std::move(response).error();
    }
    auto doc = parse_body(*response, "jobs");
    if (!doc) {
        return std::move(doc).error();
    }
    if (!doc->IsArray()) {
        return make_error(ErrorKind::decode, "Greenhouse jobs: expected a JSON array");
    }
    std::vector<Job> jobs;
    for (const auto& item : doc->GetArray()) {
        if (!item.IsObject()) {
            return make_error(ErrorKind::decode, "Greenhouse jobs: expected objects in the array");
        }
        auto id = integer_member(item, "id", "jobs");
        if (!id) {
            return std::move(id).error();
        }
        Job job;
        job.id = *id;
        job.name = string_member(item, "name");
        job.status = string_member(item, "status");
        auto is_public = item.FindMember("public");
        job.is_public = is_public != item.MemberEnd() && is_public->value.IsBool()
                        && is_public->value.GetBool();
        jobs.push_back(std::move(job));
    }
    return jobs;
}

Result<std::vector<ProspectPool>> Client::prospect_pools() {
    auto response = send(make_request("GET", "/prospect_pools"), "prospect_pools");
    if (!response) {
        return std::move(response).error();
    }
    auto doc = parse_body(*response, "prospect_pools");
    if (!doc) {
        return std::move(doc).error();
    }
    if (!doc->IsArray()) {
        return make_error(ErrorKind::decode, "Greenhouse prospect_pools: expected a JSON array");
    }
    std::vector<ProspectPool> pools;
    for (const auto& item : doc->GetArray()) {
        if (!item.IsObject()) {
            return make_error(ErrorKind::decode, "Greenhouse prospect_pools: expected objects");
        }
        auto id = integer_member(item, "id", "prospect_pools");
        if (!id) {
            return std::move(id).error();
        }
        ProspectPool pool{*id, string_member(item, "name"), {}};
        auto stages = item.FindMember("stages");
        if (stages != item.MemberEnd() && stages->value.IsArray()) {
            for (const auto& stage : stages->value.GetArray()) {
                if (!stage.IsObject()) {
                    continue;
                }
                auto stage_id = integer_member(stage, "id", "prospect_pools");
                if (!stage_id) {
                    return std::move(stage_id).error();
                }
                pool.stages.push_back({*stage_id, string_member(stage, "name")});
            }
        }
        pools.push_back(std::move(pool));
    }
    return pools;
}

Result<std::vector<CandidateStatus>>
Client::candidates(const std::vector<std::int64_t>& ids) {
    std::string list;
    for (const std::int64_t id : ids) {
        list += (list.empty() ? "" : ",") + std::to_string(id);
    }
    auto response = send(make_request("GET", "/candidates?candidate_ids=" + list), "candidates");
    if (!response) {
        return std::move(response).error();
    }
    auto doc = parse_body(*response, "candidates");
    if (!doc) {
        return std::move(doc).error();
    }
    std::vector<const rapidjson::Value*> items;
    if (doc->IsObject()) {
        items.push_back(&*doc);
    } else if (doc->IsArray()) {
        for (const auto& item : doc->GetArray()) {
            items.push_back(&item);
        }
    } else {
        return make_error(ErrorKind::decode, "Greenhouse candidates: expected a JSON array");
    }
    std::vector<CandidateStatus> found;
    for (const rapidjson::Value* item : items) {
        if (!item->IsObject()) {
            return make_error(ErrorKind::decode,
                              "Greenhouse candidates: expected objects in the array");
        }
        auto id = integer_member(*item, "id", "candidates");
        if (!id) {
            return std::move(id).error();
        }
        CandidateStatus candidate;
        candidate.id = *id;
        auto apps = item->FindMember("applications");
        if (apps != item->MemberEnd() && apps->value.IsArray()) {
            for (const auto& app : apps->value.GetArray()) {
                if (!app.IsObject()) {
                    continue;
                }
                ApplicationStatus status;
                auto app_id = app.FindMember("id");
                if (app_id != app.MemberEnd() && app_id->value.IsInt64()) {
                    status.id = app_id->value.GetInt64();
                }
                status.job = string_member(app, "job");
                status.status = string_member(app, "status");
                for (char& c : status.status) {
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                }
                status.stage = string_member(app, "stage");
                status.profile_url = string_member(app, "profile_url");
                candidate.applications.push_back(std::move(status));
            }
        }
        found.push_back(std::move(candidate));
    }
    return found;
}

Result<CreatedCandidate> Client::create_candidate(const std::string& json_body,
                                                  const std::string& on_behalf_of) {
    auto response = send(create_request(json_body, on_behalf_of), "create candidate");
    if (!response) {
        Error error = std::move(response).error();
        // A 5xx other than 503 may come after the candidate was created (the transport
        // does not retry a POST on it): Greenhouse cannot be searched, so say "unknown".
        if (error.http_status >= 500 && error.http_status != 503) {
            error.outcome_unknown = true;
        }
        return error;
    }
    auto doc = parse_body(*response, "create candidate");
    if (!doc) {
        Error error = std::move(doc).error();
        error.outcome_unknown = true; // a 2xx arrived: the candidate most likely exists
        return error;
    }
    const rapidjson::Value* object = &*doc;
    if (doc->IsArray() && doc->Size() == 1) {
        object = &(*doc)[0];
    }
    if (!object->IsObject()) {
        Error error = make_error(ErrorKind::decode,
                                 "Greenhouse create candidate: expected a JSON object");
        error.outcome_unknown = true;
        return error;
    }
    auto id = integer_member(*object, "id", "create candidate");
    if (!id) {
        Error error = std::move(id).error();
        error.outcome_unknown = true;
        return error;
    }
    CreatedCandidate created;
    created.id = *id;
    auto application = object->FindMember("application_id");
    if (application != object->MemberEnd() && application->value.IsInt64()) {
        created.application_id = application->value.GetInt64();
    }
    created.external_id = string_member(*object, "external_id");
    created.profile_url = string_member(*object, "profile_url");
    return created;
}

Error error_from_response(const http::Response& response, const char* what) {
    std::string details;
    std::string first_field;
    rapidjson::Document doc;
    doc.Parse<k_parse_flags>(response.body.c_str(), response.body.size());
    if (!doc.HasParseError() && doc.IsObject()) {
        auto errors = doc.FindMember("errors");
        if (errors != doc.MemberEnd() && errors->value.IsArray()) {
            for (const auto& item : errors->value.GetArray()) {
                if (!item.IsObject()) {
                    continue;
                }
                std::string message = string_member(item, "message");
                std::string field = string_member(item, "field");
                if (first_field.empty()) {
                    first_field = field;
                }
                if (!details.empty()) {
                    details += "; ";
                }
                // Greenhouse's messages often start with the field already ("On-Behalf-Of
                // 'x' is not a user"): the field is not said twice.
                const bool names_field =
                    !field.empty()
                    && http::detail::iequals(std::string_view(message).substr(0, field.size()),
                                             field);
                details += field.empty() || names_field ? message : field + ": " + message;
            }
        } else {
            details = string_member(doc, "message");
        }
    }
    const long status = response.status;
    ErrorKind kind = ErrorKind::failure;
    if (status == 401 || status == 403) {
        kind = ErrorKind::auth;
    } else if (status == 400 || status == 422) {
        kind = ErrorKind::validation;
    } else if (status == 404) {
        kind = ErrorKind::not_found;
    } else if (status == 429 || status >= 500) {
        kind = ErrorKind::temporary;
    }
    std::string message = std::string("Greenhouse ") + what + " failed: HTTP "
                          + std::to_string(status);
    if (!details.empty()) {
        message += ": " + http::scrub_secrets(details); // a server may echo the credential
    }
    if (kind == ErrorKind::auth) {
        message += " (check the API key and that the On-Behalf-Of email is an active Greenhouse "
                   "user)";
    }
    Error error = make_error(kind, std::move(message), http::scrub_secrets(first_field));
    error.http_status = static_cast<int>(status);
    if (kind == ErrorKind::auth) {
        error.hint = Hint{Hint::Kind::run, "configure greenhouse", "again"};
    }
    return error;
}

} // namespace pjats::greenhouse
