#pragma once

// A strict fake of Lever's OAuth 2.0 authorization server (lever-api.md §1.4–1.9) for a
// public-client CLI with a loopback redirect:
//
//   GET  /authorize    client_id, redirect_uri (http://127.0.0.1:PORT/callback or
//                      http://localhost:PORT/callback), response_type=code, state, audience
//                      ("https://api.lever.co/v1/" or "<sandbox>/v1/"), scope (known Lever
//                      scopes; offline_access for a refresh token). Consents at once: 302 to
//                      redirect_uri?code=...&state=..., or ?error=access_denied&... when
//                      consent denial is switched on.
//   POST /oauth/token  application/x-www-form-urlencoded only; grant_type
//                      authorization_code (code single use, 10 minutes, redirect_uri must
//                      match) or refresh_token. Refresh tokens rotate: each is single use;
//                      presenting a used one is reuse and revokes the whole grant.
//
// Errors: {"error","error_description"}: 400 invalid_request / unsupported_grant_type,
// 401 invalid_client, 403 invalid_grant.

#include "route_table.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace pjats::fakes {

enum class TokenStatus { valid, expired, revoked, unknown };

struct TokenCheck {
    TokenStatus status = TokenStatus::unknown;
    std::string grant; // the grant (token family) id, for rate limiting
    std::string scope; // space-separated granted scopes
};

// True when the space-separated `granted` scopes allow `resource` ("postings", ...) for
// reading (`write` false) or writing: "<resource>:write:admin" includes reading.
bool grants_scope(const std::string& granted, const std::string& resource, bool write);

class FakeLeverOAuth {
  public:
    explicit FakeLeverOAuth(int token_ttl_seconds);

    // The sandbox's own base URL ("http://127.0.0.1:PORT"): "<base>/v1/" is an accepted
    // audience and "<base>/" the token issuer.
    void set_base_url(const std::string& base_url);

    void add_routes(RouteTable& table);

    // Looks up a bearer access token.
    TokenCheck check_access_token(const std::string& token) const;

    // When true, /authorize redirects with error=access_denied.
    void set_deny(bool deny);

    // Makes every issued access token expired now (refresh tokens stay usable).
    void expire_access_tokens();

    // Forgets every code, token and grant; consent is granted again.
    void reset();

    // {"deny", "codes_issued", "access_tokens_issued", "refreshes", "reuse_detected",
    //  "grants_revoked", "active_grants"}
    std::string state_json() const;

  private:
    struct Code {
        std::string redirect_uri;
        std::string scope;
        std::string grant;
        std::int64_t expires_at = 0;
        bool used = false;
    };

    struct Grant {
        std::string scope;
        bool revoked = false;
    };

    struct Access {
        std::string grant;
        std::int64_t expires_at = 0;
    };

    struct Refresh {
        std::string grant;
        bool used = false;
    };

    void authorize(const httplib::Request& req, httplib::Response& res);
    void token(const httplib::Request& req, httplib::Response& res);
    void code_grant(const httplib::Params& params, httplib::Response& res);
    void refresh_grant(const httplib::Params& params, httplib::Response& res);

    // Issues tokens for `grant` (lock held) and writes the token response.
    void issue(const std::string& grant, httplib::Response& res);
    void revoke(const std::string& grant);
    std::string access_token_for(const std::string& scope, std::int64_t now) const;

    int m_ttl_seconds;
    std::string m_base_url;
    mutable std::mutex m_mutex;
    bool m_deny = false;
    std::map<std::string, Code> m_codes;
    std::map<std::string, Grant> m_grants;
    std::map<std::string, Access> m_access;
    std::map<std::string, Refresh> m_refresh;
    int m_codes_issued = 0;
    int m_access_issued = 0;
    int m_refreshes = 0;
    int m_reuse_detected = 0;
    int m_grants_revoked = 0;
};

} // namespace pjats::fakes
