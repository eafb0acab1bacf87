// A strict fake of Lever's OAuth 2.0 authorization server.
#include "fake_lever_oauth.hpp"

#include "fake_data.hpp"
#include "fake_http.hpp"
#include "fake_json.hpp"

#include <algorithm>
#include <array>
#include <regex>
#include <sstream>
#include <vector>

namespace pjats::fakes {

namespace {

constexpr const char* k_json = "application/json";

// Every scope Lever documents (lever-api.md §1.10).
constexpr std::array<std::string_view, 52> k_scopes = {
    "offline_access",
    "applications:read:admin",
    "archive_reasons:read:admin",
    "audit_events:read:admin",
    "confidential:access:admin",
    "contact:read:admin",
    "contact:write:admin",
    "diversity_surveys:read:admin",
    "eeo_responses:read:admin",
    "eeo_responses_pii:read:admin",
    "feedback:read:admin",
    "feedback:write:admin",
    "feedback_templates:read:admin",
    "feedback_templates:write:admin",
    "files:read:admin",
    "files:write:admin",
    "forms:read:admin",
    "forms:write:admin",
    "form_templates:read:admin",
    "form_templates:write:admin",
    "groups:read:admin",
    "groups:write:admin",
    "interviews:read:admin",
    "interviews:write:admin",
    "notes:read:admin",
    "notes:write:admin",
    "offers:read:admin",
    "opportunities:read:admin",
    "opportunities:write:admin",
    "panels:read:admin",
    "panels:write:admin",
    "permissions:read:admin",
    "permissions:write:admin",
    "postings:read:admin",
    "postings:write:admin",
    "referrals:read:admin",
    "requisitions:read:admin",
    "requisitions:write:admin",
    "requisition_fields:read:admin",
    "requisition_fields:write:admin",
    "resumes:read:admin",
    "roles:read:admin",
    "roles:write:admin",
    "sources:read:admin",
    "stages:read:admin",
    "tags:read:admin",
    "tasks:read:admin",
    "uploads:write:admin",
    "users:read:admin",
    "users:write:admin",
    "webhooks:read:admin",
    "webhooks:write:admin",
};

std::vector<std::string> split_scopes(const std::string& scope) {
    std::vector<std::string> out;
    std::istringstream in(scope);
    std::string item;
    while (in >> item) {
        out.push_back(item);
    }
    return out;
}

void reply(httplib::Response& res, int status, std::string_view error, std::string_view text) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(oauth_error(error, text), k_json);
}

std::string param(const httplib::Params& params, const std::string& name) {
    const auto it = params.find(name);
    return it == params.end() ? "" : it->second;
}

bool is_loopback_callback(const std::string& uri) {
    static const std::regex k_pattern(R"(http://(127\.0\.0\.1|localhost):([0-9]{1,5})/callback)");
    std::smatch m;
    if (!std::regex_match(uri, m, k_pattern)) {
        return false;
    }
    const int port = std::stoi(m[2].str());
    return port >= 1 && port <= 65535;
}

} // namespace

bool grants_scope(const std::string& granted, const std::string& resource, bool write) {
    for (const std::string& s : split_scopes(granted)) {
        if (s == resource + ":write:admin" || (!write && s == resource + ":read:admin")) {
            return true;
        }
    }
    return false;
}

FakeLeverOAuth::FakeLeverOAuth(int token_ttl_seconds)
    : m_ttl_seconds(token_ttl_seconds) {}

void FakeLeverOAuth::set_base_url(const std::string& base_url) {
    std::lock_guard lock(m_mutex);
    m_base_url = base_url;
}

void FakeLeverOAuth::add_routes(RouteTable& table) {
    table.add(
        "GET", "/authorize", "GET /authorize", ApiFlavor::oauth, [this](auto& req, auto& res) {
            authorize(req, res);
        });
    table.add("POST",
              "/oauth/token",
              "POST /oauth/token",
              ApiFlavor::oauth,
              [this](auto& req, auto& res) { token(req, res); });
}

void FakeLeverOAuth::authorize(const httplib::Request& req, httplib::Response& res) {
    const std::string client_id = req.get_param_value("client_id");
    const std::string redirect_uri = req.get_param_value("redirect_uri");
    const std::string state = req.get_param_value("state");
    // Problems the user must see here: never redirect to an unverified redirect_uri.
    if (client_id != k_oauth_client_id) {
        return reply(res, 400, "invalid_request", "Unknown client_id");
    }
    if (!is_loopback_callback(redirect_uri)) {
        return reply(res,
                     400,
                     "invalid_request",
                     "redirect_uri must be http://127.0.0.1:PORT/callback or "
                     "http://localhost:PORT/callback for this client");
    }
    if (state.empty()) {
        return reply(res, 400, "invalid_request", "state is required");
    }
    const auto redirect_error = [&](const std::string& error, const std::string& text) {
        res.set_redirect(redirect_uri + "?error=" + url_encode(error) + "&error_description="
                             + url_encode(text) + "&state=" + url_encode(state),
                         302);
    };
    std::lock_guard lock(m_mutex);
    if (req.get_param_value("response_type") != "code") {
        return redirect_error("unsupported_response_type", "response_type must be code");
    }
    const std::string audience = req.get_param_value("audience");
    if (audience != k_lever_audience && audience != m_base_url + "/v1/") {
        return redirect_error("invalid_request",
                              "audience must be " + std::string(k_lever_audience));
    }
    const std::string scope = req.get_param_value("scope");
    const std::vector<std::string> scopes = split_scopes(scope);
    if (scopes.empty()) {
        return redirect_error("invalid_scope", "scope is required");
    }
    for (const std::string& s : scopes) {
        if (std::find(k_scopes.begin(), k_scopes.end(), s) == k_scopes.end()) {
            return redirect_error("invalid_scope", "unknown scope " + s);
        }
    }
    if (m_deny) {
        return redirect_error("access_denied", "user_did_not_authorize_the_request");
    }
    const std::string code = random_base64url(24);
    const std::string grant = random_hex(8);
    m_grants[grant] = Grant{scope, false};
    m_codes[code] = Code{
        redirect_uri, scope, grant, now_ms() + k_authorization_code_ttl_seconds * 1000LL, false};
    ++m_codes_issued;
    res.set_redirect(redirect_uri + "?code=" + url_encode(code) + "&state=" + url_encode(state),
                     302);
}

void FakeLeverOAuth::token(const httplib::Request& req, httplib::Response& res) {
    if (!has_media_type(req, "application/x-www-form-urlencoded")) {
        return reply(
            res, 400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
    }
    if (req.target.find('?') != std::string::npos) {
        return reply(res, 400, "invalid_request", "Send the parameters in the body, not the URL");
    }
    const httplib::Params params = parse_form(req.body);
    if (param(params, "client_id") != k_oauth_client_id
        || param(params, "client_secret") != k_oauth_client_secret) {
        return reply(res, 401, "invalid_client", "Unknown client or wrong client secret");
    }
    const std::string grant_type = param(params, "grant_type");
    if (grant_type == "authorization_code") {
        return code_grant(params, res);
    }
    if (grant_type == "refresh_token") {
        return refresh_grant(params, res);
    }
    if (grant_type.empty()) {
        return reply(res, 400, "invalid_request", "grant_type is required");
    }
    reply(res,
          400,
          "unsupported_grant_type",
          "grant_type must be authorization_code or refresh_token");
}

void FakeLeverOAuth::code_grant(const httplib::Params& params, httplib::Response& res) {
    const std::string code = param(params, "code");
    if (code.empty()) {
        return reply(res, 400, "invalid_request", "code is required");
    }
    std::lock_guard lock(m_mutex);
    const auto it = m_codes.find(code);
    if (it == m_codes.end()) {
        return reply(res, 403, "invalid_grant", "Invalid authorization code");
    }
    Code& c = it->second;
    if (c.used) {
        // A code used twice: revoke what it issued (RFC 6749 §4.1.2).
        ++m_reuse_detected;
        revoke(c.grant);
        return reply(res, 403, "invalid_grant", "Authorization code already used");
    }
    if (now_ms() > c.expires_at) {
        return reply(res, 403, "invalid_grant", "Authorization code expired");
    }
    if (param(params, "redirect_uri") != c.redirect_uri) {
        return reply(res, 403, "invalid_grant", "redirect_uri does not match the authorize call");
    }
    c.used = true;
    issue(c.grant, res);
}

void FakeLeverOAuth::refresh_grant(const httplib::Params& params, httplib::Response& res) {
    const std::string token = param(params, "refresh_token");
    if (token.empty()) {
        return reply(res, 400, "invalid_request", "refresh_token is required");
    }
    std::lock_guard lock(m_mutex);
    const auto it = m_refresh.find(token);
    if (it == m_refresh.end()) {
        return reply(res, 403, "invalid_grant", "Unknown or invalid refresh token");
    }
    if (it->second.used) {
        ++m_reuse_detected;
        revoke(it->second.grant);
        return reply(
            res, 403, "invalid_grant", "Refresh token reuse detected: the grant has been revoked");
    }
    if (m_grants[it->second.grant].revoked) {
        return reply(res, 403, "invalid_grant", "The grant has been revoked");
    }
    it->second.used = true;
    ++m_refreshes;
    issue(it->second.grant, res);
}

std::string FakeLeverOAuth::access_token_for(const std::string& scope, std::int64_t now) const {
    const std::string header = R"({"alg":"HS512","v":"2.0","kid":"pjats-sandbox"})";
    const std::string payload = build_json([&](JsonWriter& w) {
        w.StartObject();
        write_string(w, "https://oauth.lever.co/userId", k_lever_recruiter_id);
        write_string(w, "https://oauth.lever.co/accountId", k_lever_account_id);
        write_string(w, "https://oauth.lever.co/clientId", k_oauth_client_id);
        write_string(w, "iss", m_base_url + "/");
        write_string(w, "sub", "sandbox|" + std::string(k_lever_recruiter_id));
        write_string(w, "aud", k_lever_audience);
        write_int(w, "iat", now / 1000);
        write_int(w, "exp", now / 1000 + m_ttl_seconds);
        write_string(w, "azp", k_oauth_client_id);
        write_string(w, "scope", scope);
        write_string(w, "jti", random_hex(12));
        w.EndObject();
    });
    return base64url_encode(header) + "." + base64url_encode(payload) + "." + random_base64url(32);
}

void FakeLeverOAuth::issue(const std::string& grant, httplib::Response& res) {
    const std::int64_t now = now_ms();
    const std::string scope = m_grants[grant].scope;
    const std::string access = access_token_for(scope, now);
    m_access[access] = Access{grant, now + m_ttl_seconds * 1000LL};
    ++m_access_issued;
    std::string refresh;
    const std::vector<std::string> scopes = split_scopes(scope);
    if (std::find(scopes.begin(), scopes.end(), "offline_access") != scopes.end()) {
        refresh = "v1." + random_base64url(48);
        m_refresh[refresh] = Refresh{grant, false};
    }
    res.status = 200;
    res.set_header("Cache-Control", "no-store");
    res.set_content(build_json([&](JsonWriter& w) {
                        w.StartObject();
                        write_string(w, "access_token", access);
                        if (!refresh.empty()) {
                            write_string(w, "refresh_token", refresh);
                        }
                        write_string(w, "token_type", "Bearer");
                        write_string(w, "scope", scope);
                        write_int(w, "expires_in", m_ttl_seconds);
                        w.EndObject();
                    }),
                    k_json);
}

void FakeLeverOAuth::revoke(const std::string& grant) {
    Grant& g = m_grants[grant];
    if (!g.revoked) {
        g.revoked = true;
        ++m_grants_revoked;
    }
}

TokenCheck FakeLeverOAuth::check_access_token(const std::string& token) const {
    std::lock_guard lock(m_mutex);
    const auto it = m_access.find(token);
    if (it == m_access.end()) {
        return {};
    }
    const auto grant = m_grants.find(it->second.grant);
    TokenCheck check{TokenStatus::valid, it->second.grant, grant->second.scope};
    if (grant->second.revoked) {
        check.status = TokenStatus::revoked;
    } else if (now_ms() >= it->second.expires_at) {
        check.status = TokenStatus::expired;
    }
    return check;
}

void FakeLeverOAuth::set_deny(bool deny) {
    std::lock_guard lock(m_mutex);
    m_deny = deny;
}

void FakeLeverOAuth::expire_access_tokens() {
    std::lock_guard lock(m_mutex);
    const std::int64_t now = now_ms();
    for (auto& [token, access] : m_access) {
        access.expires_at = std::min(access.expires_at, now - 1);
    }
}

void FakeLeverOAuth::reset() {
    std::lock_guard lock(m_mutex);
    m_deny = false;
    m_codes.clear();
    m_grants.clear();
    m_access.clear();
    m_refresh.clear();
    m_codes_issued = m_access_issued = m_refreshes = m_reuse_detected = m_grants_revoked = 0;
}

std::string FakeLeverOAuth::state_json() const {
    std::lock_guard lock(m_mutex);
    const auto active = std::count_if(
        m_grants.begin(), m_grants.end(), [](const auto& g) { return !g.second.revoked; });
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        write_bool(w, "deny", m_deny);
        write_int(w, "codes_issued", m_codes_issued);
        write_int(w, "access_tokens_issued", m_access_issued);
        write_int(w, "refreshes", m_refreshes);
        write_int(w, "reuse_detected", m_reuse_detected);
        write_int(w, "grants_revoked", m_grants_revoked);
        write_int(w, "active_grants", active);
        w.EndObject();
    });
}

} // namespace pjats::fakes
