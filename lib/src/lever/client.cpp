// Lever v1 Data API client (reference: lever-api.md §2-4).

#include "json/reader.hpp"

#include <pjats/http/redact.hpp>
#include <pjats/http/url.hpp>
#include <pjats/lever/client.hpp>
#include <pjats/profile/profile.hpp>

#include <set>
#include <utility>

namespace pjats::lever {

namespace {

constexpr std::string_view k_v1 = "/v1";
constexpr std::size_t k_max_error_body = 1024 * 1024;

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

// "CODE: message" from Lever's {"code","message"} error body, redacted; "" otherwise.
std::string lever_error_text(const std::string& body) {
    rapidjson::Document doc;
    if (!json::parse_document(doc, body, "error body", k_max_error_body) || !doc.IsObject()) {
        return {};
    }
    json::Problems ignored("error body");
    const std::string code = json::read_string(doc, "code", "", ignored);
    const std::string message = json::read_string(doc, "message", "", ignored);
    std::string text = code;
    if (!message.empty()) {
        text += text.empty() ? message : ": " + message;
    }
    return http::redact_text(text);
}

// A 5xx other than 503 (maintenance, not processed) after a POST: Lever may have acted.
bool may_have_acted(const http::Request& request, long status) {
    return !request.is_idempotent() && status >= 500 && status != 503;
}

} // namespace

std::string normalize_base_url(std::string base_url) {
    while (!base_url.empty() && base_url.back() == '/') {
        base_url.pop_back();
    }
    if (base_url.size() >= k_v1.size()
        && std::string_view(base_url).substr(base_url.size() - k_v1.size()) == k_v1) {
        base_url.resize(base_url.size() - k_v1.size());
    }
    if (base_url.empty()) {
        return profile::k_default_lever_url;
    }
    return base_url;
}

// Refreshes (and sends again) after 401 answers to one request, at most.
constexpr int k_refreshes_per_request = 3;

Error error_from_response(const http::Response& response, std::string_view what) {
    const long status = response.status;
    const std::string details = lever_error_text(response.body);
    ErrorKind kind = ErrorKind::failure;
    std::string message;
    if (status == 400 || status == 422) {
        kind = ErrorKind::validation;
        message = "Lever rejected the request";
        message += details.empty() ? " (HTTP " + std::to_string(status) + ")" : ": " + details;
    } else {
        if (status == 401 || status == 403) {
            kind = ErrorKind::auth;
        } else if (status == 404) {
            kind = ErrorKind::not_found;
        } else if (status == 429 || status >= 500) {
            kind = ErrorKind::temporary;
        }
        message = "Lever " + std::string(what) + " failed (HTTP " + std::to_string(status) + ")";
        if (!details.empty()) {
            message += ": " + details;
        }
        if (status == 401) {
            message += "; check the credentials";
        } else if (status == 403) {
            message += "; the credentials lack permission (API key endpoints or OAuth scopes)";
        } else if (kind == ErrorKind::temporary) {
            message += "; safe to re-run later";
        }
    }
    Error error = make_error(kind, std::move(message));
    if (status == 401) {
        error.hint = Hint{Hint::Kind::run, "configure lever", "again"};
    }
    error.http_status = static_cast<int>(status);
    return error;
}

Client::Client(http::Transport& transport,
               Credentials& credentials,
               std::string base_url,
               http::TokenBucket* limiter)
    : m_transport(transport),
      m_credentials(credentials),
      m_base_url(normalize_base_url(std::move(base_url))),
      m_limiter(limiter) {}

http::Request Client::make_request(std::string method, std::string path_and_query) const {
    http::Request request;
    request.method = std::move(method);
    request.url = m_base_url + std::string(k_v1) + path_and_query;
    request.headers.push_back({"Accept", "application/json"});
    return request;
}

Result<http::Response> Client::send_once(const http::Request& request) {
    if (m_limiter != nullptr) {
        m_limiter->acquire();
    }
    return m_transport.send(request);
}

Result<http::Response> Client::send(http::Request request, std::string_view what) {
    auto authorization = m_credentials.authorization();
    if (!authorization) {
        return std::move(authorization).error();
    }
    request.headers.push_back({"Authorization", *authorization});
    auto response = send_once(request);
    // A 401 with refreshable credentials: refresh and send again. A 401 to a refreshed
    // token is final, unless that token's lifetime is already over (it expired while the
    // request waited for the pacer: a lifetime shorter than the queue); then refresh again,
    // a few times at most.
    for (int refreshes = 0; response && response->status == 401 && m_credentials.can_refresh()
                            && refreshes < k_refreshes_per_request;
         ++refreshes) {
        const std::string rejected = request.headers.back().value;
        if (refreshes > 0 && !m_credentials.expired_meanwhile(rejected)) {
            break; // a fresh token refused: an auth error, not a loop
        }
        auto refreshed = m_credentials.refresh_after_unauthorized(rejected);
        if (!refreshed) {
            return std::move(refreshed).error();
        }
        if (*refreshed == rejected) {
            break; // no new token to try
        }
        request.headers.back().value = *refreshed;
        response = send_once(request);
    }
    if (!response) {
        Error error = std::move(response).error();
        error.message = "Lever " + std::string(what) + ": " + error.message;
        return error;
    }
    if (!response->ok()) {
        Error error = error_from_response(*response, what);
        error.outcome_unknown = may_have_acted(request, response->status);
        return error;
    }
    return response;
}

Status Client::walk_pages(const std::string& path_and_query,
                          std::string_view what,
                          const PageConsumer& consume) {
    std::set<std::string> seen;
    std::string offset;
    for (int page = 0;; ++page) {
        if (page >= k_max_pages) {
            return make_error(ErrorKind::decode,
                              "Lever " + std::string(what) + ": more than "
                                  + std::to_string(k_max_pages) + " pages; giving up");
        }
        std::string url = path_and_query;
        url += url.back() == '?' ? "" : "&";
        url += "limit=" + std::to_string(k_page_limit);
        if (!offset.empty()) {
            // The token is opaque (real ones are percent-encoded JSON): encode it like any
            // other value, as Lever's known clients do (lever-api.md §3).
            url += "&offset=" + http::url_encode(offset);
        }
        auto response = send(make_request("GET", url), what);
        if (!response) {
            return std::move(response).error();
        }
        auto cursor = consume(response->body);
        if (!cursor) {
            return std::move(cursor).error();
        }
        if (!cursor->has_next) {
            return {};
        }
        if (cursor->next.empty()) {
            return make_error(ErrorKind::decode,
                              "Lever " + std::string(what)
                                  + ": hasNext is true but the page has no next token");
        }
        if (!seen.insert(cursor->next).second) {
            return make_error(ErrorKind::decode,
                              "Lever " + std::string(what)
                                  + ": the next token repeated an earlier page; stopping");
        }
        offset = cursor->next;
    }
}

Result<bool> Client::user_exists(const std::string& id) {
    auto response = send(make_request("GET", "/users/" + http::url_encode(id)), "user lookup");
    if (!response) {
        if (response.error().kind == ErrorKind::not_found
            || response.error().kind == ErrorKind::validation) {
            return false;
        }
        return std::move(response).error();
    }
    return true;
}

Result<User> Client::user_by_email(const std::string& email) {
    auto response =
        send(make_request("GET", "/users?email=" + http::url_encode(email)), "users lookup");
    if (!response) {
        return std::move(response).error();
    }
    auto page = decode_users_page(response->body);
    if (!page) {
        return std::move(page).error();
    }
    const std::string wanted = lowercase(email);
    const User* match = nullptr;
    for (const User& user : page->items) {
        if (user.deactivated_at != 0) {
            continue;
        }
        if (lowercase(user.email) == wanted) {
            match = &user;
            break;
        }
        if (match == nullptr) {
            match = &user; // Lever matches the canonicalized email; trust its filter
        }
    }
    if (match == nullptr) {
        return make_error(
            ErrorKind::not_found, "no active Lever user has the email " + email, "perform_as");
    }
    return *match;
}

Result<Posting> Client::posting(const std::string& id) {
    auto response = send(make_request("GET", "/postings/" + http::url_encode(id)), "posting");
    if (!response) {
        return std::move(response).error();
    }
    return decode_posting(response->body);
}

Result<std::vector<Posting>> Client::postings(const std::string& state) {
    std::string path = "/postings?";
    if (!state.empty()) {
        path += "state=" + http::url_encode(state);
    }
    std::vector<Posting> all;
    auto walked =
        walk_pages(path, "postings", [&all](const std::string& body) -> Result<PageCursor> {
            auto page = decode_postings_page(body);
            if (!page) {
                return std::move(page).error();
            }
            for (Posting& posting : page->items) {
                all.push_back(std::move(posting));
            }
            return PageCursor{page->has_next, page->next};
        });
    if (!walked) {
        return std::move(walked).error();
    }
    return all;
}

Result<http::Request> Client::create_opportunity_request(const OpportunityOptions& options,
                                                         const model::Candidate& candidate,
                                                         const std::string& perform_as) const {
    if (perform_as.empty()) {
        Error error = make_error(ErrorKind::config, "no Lever perform_as user is configured",
                                 "perform_as");
        return with_run_hint(std::move(error), "configure lever --perform-as-email EMAIL");
    }
    if (!options.origin.empty() && !is_valid_origin(options.origin)) {
        return make_error(ErrorKind::usage,
                          "invalid Lever origin '" + options.origin
                              + "' (use agency, applied, internal, referred, sourced or "
                                "university)",
                          "origin");
    }
    const bool with_file = !candidate.resume_file.empty();
    if (with_file && !has_resume_file(candidate)) {
        return make_error(ErrorKind::validation,
                          "the résumé file named by meta.purposeJobs.resumeFile does not exist "
                          "or is not a regular file",
                          "meta.purposeJobs.resumeFile");
    }
    std::string path = "/opportunities?perform_as=" + http::url_encode(perform_as);
    if (with_file) {
        path += "&parse=true";
    }
    http::Request request = make_request("POST", path);
    if (with_file) {
        request.form = opportunity_form(candidate, options);
    } else {
        request.headers.push_back({"Content-Type", "application/json"});
        request.body = opportunity_json(candidate, options);
    }
    return request;
}

Result<CreatedOpportunity> Client::create_opportunity(const OpportunityOptions& options,
                                                      const model::Candidate& candidate,
                                                      const std::string& perform_as) {
    auto request = create_opportunity_request(options, candidate, perform_as);
    if (!request) {
        return std::move(request).error();
    }
    auto response = send(std::move(*request), "create opportunity");
    if (!response) {
        return std::move(response).error();
    }
    auto created = decode_created_opportunity(response->body);
    if (!created) {
        Error error = std::move(created).error();
        error.outcome_unknown = true; // a 2xx arrived: the opportunity most likely exists
        error.http_status = static_cast<int>(response->status);
        return error;
    }
    return created;
}

Result<std::vector<OpportunitySummary>> Client::tagged_opportunities(const std::string& tag) {
    std::vector<OpportunitySummary> all;
    auto walked = walk_pages(
        "/opportunities?tag=" + http::url_encode(tag), "opportunities list",
        [&all](const std::string& body) -> Result<PageCursor> {
            auto page = decode_opportunities_page(body);
            if (!page) {
                return std::move(page).error();
            }
            for (OpportunitySummary& item : page->items) {
                all.push_back(std::move(item));
            }
            return PageCursor{page->has_next, page->next};
        });
    if (!walked) {
        return std::move(walked).error();
    }
    return all;
}

Result<std::vector<OpportunitySummary>> Client::find_opportunities(const std::string& email,
                                                                   const std::string& tag,
                                                                   const std::string& posting_id) {
    std::string path = "/opportunities?email=" + http::url_encode(email);
    if (!tag.empty()) {
        path += "&tag=" + http::url_encode(tag);
    }
    if (!posting_id.empty()) {
        path += "&posting_id=" + http::url_encode(posting_id);
    }
    std::vector<OpportunitySummary> all;
    auto walked = walk_pages(
        path, "opportunities lookup", [&all](const std::string& body) -> Result<PageCursor> {
            auto page = decode_opportunities_page(body);
            if (!page) {
                return std::move(page).error();
            }
            for (OpportunitySummary& item : page->items) {
                all.push_back(std::move(item));
            }
            return PageCursor{page->has_next, page->next};
        });
    if (!walked) {
        return std::move(walked).error();
    }
    return all;
}

} // namespace pjats::lever
