// Lever OAuth: authorize URL, state, and the token endpoint (lever-api.md §1.4-1.9).
// The token endpoint is an Auth0-style server, so errors are read as RFC 6749
// {"error", "error_description"} bodies; Lever documents none.

#include "json/reader.hpp"

#include <pjats/http/redact.hpp>
#include <pjats/http/secrets.hpp>
#include <pjats/http/url.hpp>
#include <pjats/lever/oauth.hpp>
#include <pjats/profile/profile.hpp>

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace pjats::lever {

namespace {

constexpr std::int64_t k_default_expires_in = 3600;
constexpr std::size_t k_max_token_response = 1024 * 1024;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string strip_trailing_slashes(std::string_view text) {
    while (!text.empty() && text.back() == '/') {
        text.remove_suffix(1);
    }
    return std::string(text);
}

std::string form_encode(const std::vector<std::pair<std::string_view, std::string_view>>& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
        if (!body.empty()) {
            body += '&';
        }
        body += http::url_encode(name);
        body += '=';
        body += http::url_encode(value);
    }
    return body;
}

struct OAuthErrorBody {
    std::string error;
    std::string description;
};

// Reads {"error","error_description"} (or Lever's {"code","message"}) when the body is JSON.
OAuthErrorBody oauth_error_of(const std::string& body) {
    OAuthErrorBody out;
    rapidjson::Document doc;
    json::Problems ignored("token response");
    if (!json::parse_document(doc, body, "token response", k_max_token_response)
        || !doc.IsObject()) {
        return out;
    }
    out.error = json::read_string(doc, "error", "", ignored);
    out.description = json::read_string(doc, "error_description", "", ignored);
    if (out.error.empty()) {
        out.error = json::read_string(doc, "code", "", ignored);
        out.description = json::read_string(doc, "message", "", ignored);
    }
    return out;
}

Error token_endpoint_error(const http::Response& response, const char* what) {
    const OAuthErrorBody body = oauth_error_of(response.body);
    const long status = response.status;
    std::string message =
        std::string("Lever ") + what + " failed (HTTP " + std::to_string(status) + ")";
    if (!body.error.empty()) {
        message += ": " + http::redact_text(body.error);
        if (!body.description.empty()) {
            message += ": " + http::redact_text(body.description);
        }
    }
    ErrorKind kind = ErrorKind::failure;
    if (status == 429 || status >= 500) {
        kind = ErrorKind::temporary;
    } else if (status >= 400) {
        kind = ErrorKind::auth;
    }
    if (status == 401 && body.error == "invalid_client") {
        message += " (check the OAuth client id and client secret)";
    }
    Error error = make_error(kind, std::move(message));
    error.http_status = static_cast<int>(status);
    return error;
}

Result<TokenSet> decode_token_set(const http::Response& response, std::int64_t now) {
    rapidjson::Document doc;
    json::Problems problems("Lever token response");
    auto parsed =
        json::parse_document(doc, response.body, "Lever token response", k_max_token_response);
    if (!parsed) {
        Error error = std::move(parsed).error();
        error.kind = ErrorKind::decode;
        return error;
    }
    if (!doc.IsObject()) {
        return make_error(ErrorKind::decode, "Lever token response: expected a JSON object");
    }
    TokenSet tokens;
    tokens.access_token = json::read_string(doc, "access_token", "", problems);
    tokens.refresh_token = json::read_string(doc, "refresh_token", "", problems);
    tokens.scope = json::read_string(doc, "scope", "", problems);
    http::register_secret(tokens.access_token);
    http::register_secret(tokens.refresh_token);
    const std::string token_type = json::read_string(doc, "token_type", "", problems);
    const std::optional<double> expires_in = json::read_number(doc, "expires_in", "", problems);
    if (!problems.empty()) {
        Error error = problems.to_error();
        error.kind = ErrorKind::decode;
        return error;
    }
    if (tokens.access_token.empty()) {
        return make_error(
            ErrorKind::decode, "Lever token response: access_token is missing", "access_token");
    }
    if (!token_type.empty() && token_type != "Bearer" && token_type != "bearer") {
        return make_error(ErrorKind::decode,
                          "Lever token response: unexpected token_type '" + token_type + "'",
                          "token_type");
    }
    tokens.expires_in = k_default_expires_in;
    if (expires_in && *expires_in > 0 && *expires_in < 1e9) {
        tokens.expires_in = static_cast<std::int64_t>(*expires_in);
    }
    tokens.expires_at = (now != 0 ? now : unix_now()) + tokens.expires_in;
    return tokens;
}

Result<http::Response> post_token_request(http::Transport& transport,
                                          std::string_view auth_url,
                                          std::string body,
                                          const char* what) {
    const std::string base =
        strip_trailing_slashes(auth_url.empty() ? profile::k_default_lever_auth_url : auth_url);
    PJATS_TRY(http::check_base_url(base, "Lever auth_url"));
    http::Request request;
    request.method = "POST";
    request.url = http::join_url(base, "/oauth/token");
    request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    request.headers.push_back({"Accept", "application/json"});
    request.body = std::move(body);
    auto response = transport.send(request);
    if (!response) {
        Error error = std::move(response).error();
        error.message = std::string("Lever ") + what + " failed: " + error.message;
        return error;
    }
    return response;
}

} // namespace

std::vector<std::string> default_scopes() {
    return {"offline_access",
            "opportunities:write:admin",
            "opportunities:read:admin",
            "postings:read:admin",
            "users:read:admin",
            "stages:read:admin",
            "archive_reasons:read:admin",
            "notes:write:admin",
            "files:write:admin"};
}

std::vector<std::string> missing_track_scopes(const std::string& granted) {
    std::vector<std::string> missing;
    for (const char* scope : {"stages:read:admin", "archive_reasons:read:admin"}) {
        const std::string padded = " " + granted + " ";
        if (padded.find(std::string(" ") + scope + " ") == std::string::npos) {
            missing.emplace_back(scope);
        }
    }
    return missing;
}

std::string random_state() {
    std::array<unsigned char, 32> bytes{};
    std::size_t filled = 0;
    while (filled < bytes.size()) {
        const ssize_t got = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            // getrandom has existed since Linux 3.17; failing here means no entropy source
            // at all, which no caller can recover from.
            throw std::runtime_error(std::string("getrandom failed: ") + std::strerror(errno));
        }
        filled += static_cast<std::size_t>(got);
    }
    std::string encoded = http::base64_encode(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    std::string out;
    for (const char c : encoded) {
        if (c == '+') {
            out += '-';
        } else if (c == '/') {
            out += '_';
        } else if (c != '=') {
            out += c;
        }
    }
    return out;
}

std::string oauth_audience(std::string_view base_url) {
    std::string base = strip_trailing_slashes(base_url);
    constexpr std::string_view k_v1 = "/v1";
    if (base.size() >= k_v1.size()
        && base.compare(base.size() - k_v1.size(), k_v1.size(), k_v1) == 0) {
        base.resize(base.size() - k_v1.size());
    }
    if (base.empty() || base == profile::k_default_lever_url) {
        return k_default_audience;
    }
    return base + "/v1/";
}

std::string authorize_url(std::string_view auth_url,
                          std::string_view client_id,
                          std::string_view redirect_uri,
                          std::string_view state,
                          std::string_view audience,
                          const std::vector<std::string>& scopes) {
    std::string scope = "offline_access";
    for (const std::string& item : scopes) {
        if (item.empty() || item == "offline_access") {
            continue;
        }
        scope += ' ';
        scope += item;
    }
    const std::string base =
        strip_trailing_slashes(auth_url.empty() ? profile::k_default_lever_auth_url : auth_url);
    return http::join_url(base, "/authorize") + "?"
           + form_encode({{"client_id", client_id},
                          {"redirect_uri", redirect_uri},
                          {"response_type", "code"},
                          {"state", state},
                          {"audience", audience},
                          {"scope", scope}});
}

Result<TokenSet> exchange_code(http::Transport& transport,
                               std::string_view auth_url,
                               std::string_view client_id,
                               std::string_view client_secret,
                               std::string_view code,
                               std::string_view redirect_uri,
                               std::int64_t now) {
    const char* what = "authorization code exchange";
    auto response = post_token_request(transport,
                                       auth_url,
                                       form_encode({{"grant_type", "authorization_code"},
                                                    {"client_id", client_id},
                                                    {"client_secret", client_secret},
                                                    {"code", code},
                                                    {"redirect_uri", redirect_uri}}),
                                       what);
    if (!response) {
        return std::move(response).error();
    }
    if (!response->ok()) {
        return token_endpoint_error(*response, what);
    }
    return decode_token_set(*response, now);
}

Result<TokenSet> refresh_tokens(http::Transport& transport,
                                std::string_view auth_url,
                                std::string_view client_id,
                                std::string_view client_secret,
                                std::string_view refresh_token,
                                std::int64_t now) {
    const char* what = "token refresh";
    auto response = post_token_request(transport,
                                       auth_url,
                                       form_encode({{"grant_type", "refresh_token"},
                                                    {"client_id", client_id},
                                                    {"client_secret", client_secret},
                                                    {"refresh_token", refresh_token}}),
                                       what);
    if (!response) {
        return std::move(response).error();
    }
    if (!response->ok()) {
        const long status = response->status;
        if ((status == 400 || status == 401 || status == 403)
            && oauth_error_of(response->body).error == "invalid_grant") {
            Error error = with_run_hint(
                make_error(ErrorKind::auth, "Lever refresh token was rejected"),
                "configure lever --oauth", "again");
            error.http_status = static_cast<int>(status);
            return error;
        }
        return token_endpoint_error(*response, what);
    }
    auto tokens = decode_token_set(*response, now);
    if (!tokens) {
        Error error = std::move(tokens).error();
        error.outcome_unknown = true;
        error.message += " (the refresh token may have been rotated; if the next call fails, "
                         "run `pj-ats configure lever --oauth` again)";
        return error;
    }
    return tokens;
}

} // namespace pjats::lever
