#pragma once

// Lever's OAuth 2.0 authorization-code flow (lever-api.md §1.4-1.9): the authorize URL,
// a loopback receiver for the browser redirect, and the token endpoint calls.

#include <pjats/core/result.hpp>
#include <pjats/http/http.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pjats::lever {

// The `audience` of the production Data API (trailing slash required by Lever).
inline constexpr const char* k_default_audience = "https://api.lever.co/v1/";

// The scopes this tool asks for: create and find opportunities, read postings, resolve
// the perform_as user by email; offline_access yields a refresh token.
std::vector<std::string> default_scopes();

// The scopes `track` needs (stages, archive reasons) that `granted` (space-separated) lacks:
// a grant made before pj-ats tracked needs a Super Admin to approve again.
std::vector<std::string> missing_track_scopes(const std::string& granted);

// The tokens returned by POST {auth_url}/oauth/token.
struct TokenSet {
    std::string access_token;
    std::string refresh_token;   // empty when the response carried none
    std::int64_t expires_in = 0; // seconds, as sent (3600 when absent)
    std::int64_t expires_at = 0; // unix seconds: `now` + expires_in
    std::string scope;           // granted scopes, space-separated (may be empty)
};

// 32 bytes from getrandom(2), base64url without padding (43 characters).
std::string random_state();

// The `audience` for a Data API base URL: k_default_audience for an empty or default
// `base_url`, else base_url (without a trailing "/" or "/v1") + "/v1/".
std::string oauth_audience(std::string_view base_url);

// GET {auth_url}/authorize?client_id=&redirect_uri=&response_type=code&state=&audience=
// &scope=, every value percent-encoded, scopes space-separated with offline_access
// always present (added first when `scopes` lacks it).
std::string authorize_url(std::string_view auth_url,
                          std::string_view client_id,
                          std::string_view redirect_uri,
                          std::string_view state,
                          std::string_view audience,
                          const std::vector<std::string>& scopes);

// Receives the browser redirect on http://127.0.0.1:PORT/callback. Binds only the
// loopback interface; serves several browser connections at once (pre-connects, favicon
// requests) and answers each one; the socket closes on destruction.
class LoopbackReceiver {
  public:
    // Binds 127.0.0.1:`port` (0: an ephemeral port chosen by the kernel) and listens.
    static Result<LoopbackReceiver> open(int port = 0);

    LoopbackReceiver(LoopbackReceiver&& other) noexcept;
    LoopbackReceiver& operator=(LoopbackReceiver&& other) noexcept;
    LoopbackReceiver(const LoopbackReceiver&) = delete;
    LoopbackReceiver& operator=(const LoopbackReceiver&) = delete;
    ~LoopbackReceiver();

    int port() const {
        return m_port;
    }

    // "http://127.0.0.1:PORT/callback".
    std::string redirect_uri() const;

    // Waits for GET /callback and returns its `code`. Other paths get a 404 and are
    // ignored. The callback ends the wait: a `state` other than `expected_state` is an
    // `auth` error "state mismatch"; `error=...` (e.g. access_denied) is an `auth` error
    // quoting error_description; a callback without code is an `auth` error. The browser
    // always gets a short page saying what happened. No callback within `timeout`: an
    // `auth` error saying so.
    Result<std::string> wait_for_code(const std::string& expected_state,
                                      std::chrono::milliseconds timeout);

  private:
    LoopbackReceiver(int fd, int port)
        : m_fd(fd),
          m_port(port) {}

    int m_fd = -1;
    int m_port = 0;
};

// POST {auth_url}/oauth/token (form-encoded) with grant_type=authorization_code.
// 4xx answers are `auth` errors quoting the OAuth error code and description; 429/5xx and
// transport failures are `temporary`; a 2xx without access_token is a `decode` error.
// `now` is unix seconds (0: the current time) and sets TokenSet::expires_at.
Result<TokenSet> exchange_code(http::Transport& transport,
                               std::string_view auth_url,
                               std::string_view client_id,
                               std::string_view client_secret,
                               std::string_view code,
                               std::string_view redirect_uri,
                               std::int64_t now = 0);

// POST {auth_url}/oauth/token with grant_type=refresh_token. A 400/401/403 whose error is
// invalid_grant is the `auth` error "Lever refresh token was rejected; run `pj-ats configure
// lever --oauth` again"; other 4xx are `auth` errors quoting the OAuth error; 429/5xx and
// transport failures are `temporary`. A 2xx that cannot be decoded is a `decode` error
// with outcome_unknown set (the server may have rotated the refresh token).
Result<TokenSet> refresh_tokens(http::Transport& transport,
                                std::string_view auth_url,
                                std::string_view client_id,
                                std::string_view client_secret,
                                std::string_view refresh_token,
                                std::int64_t now = 0);

} // namespace pjats::lever
