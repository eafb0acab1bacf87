#pragma once

// How Lever requests are authorized: an API key (Basic) or OAuth tokens (Bearer) that are
// refreshed, rotated and persisted in the profile (lever-api.md §1.2, §1.9).

#include <pjats/core/result.hpp>
#include <pjats/http/http.hpp>
#include <pjats/lever/oauth.hpp>
#include <pjats/profile/profile.hpp>

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace pjats::lever {

// The environment variable that overrides the stored OAuth client secret.
inline constexpr const char* k_client_secret_env = "PJ_ATS_LEVER_CLIENT_SECRET";

// What `revoke lever` must tell the user. Lever documents no token revocation endpoint,
// so deleting the local tokens does not end the grant; only a Lever Super Admin can.
inline constexpr const char* k_revoke_oauth_step =
    "To revoke pj-ats's access itself: in Lever go to Settings > Integrations and API > "
    "Authorized Apps and click Revoke Access next to the app (Super Admin only).";
inline constexpr const char* k_revoke_api_key_step =
    "To disable the key itself: in Lever go to Settings > Integrations and API > API "
    "Credentials and deactivate the key (Super Admin only).";

// Seconds before expiry at which an access token is refreshed instead of used.
inline constexpr std::int64_t k_refresh_margin_seconds = 60;

// Supplies the Authorization header value for Lever API requests. Implementations are
// safe to call from several threads.
class Credentials {
  public:
    virtual ~Credentials() = default;

    // "Basic …" or "Bearer …", refreshing first when needed.
    virtual Result<std::string> authorization() = 0;

    // Called after a 401 for a request sent with `rejected` (the value authorization()
    // returned). Returns a different authorization to retry with, refreshing if no other
    // thread or process has done so already. An `auth` error when nothing can be done.
    virtual Result<std::string> refresh_after_unauthorized(const std::string& rejected) = 0;

    // Whether refresh_after_unauthorized can ever succeed (OAuth yes, API key no).
    virtual bool can_refresh() const = 0;

    // Whether `sent` (an authorization a refresh returned) is a token whose known lifetime
    // is already over, or all but over: a 401 to it may be its expiry while the request
    // waited, not a refusal, so one more refresh is worth it. False by default.
    virtual bool expired_meanwhile(const std::string& /*sent*/) {
        return false;
    }
};

// An API key sent as Basic auth with the key as user name and an empty password.
class ApiKeyCredentials final : public Credentials {
  public:
    explicit ApiKeyCredentials(const std::string& api_key);

    Result<std::string> authorization() override;
    Result<std::string> refresh_after_unauthorized(const std::string& rejected) override;

    bool can_refresh() const override {
        return false;
    }

  private:
    std::string m_authorization;
};

// Copies `tokens` into `settings` (auth = "oauth"; refresh_token and scope only when the
// token set has them), as configure and every refresh store them.
void apply_token_set(profile::LeverSettings& settings, const TokenSet& tokens);

// OAuth tokens kept in profile `profile_name` of the config file at `config_path`.
//
// The tokens are read on first use. An access token expiring within
// k_refresh_margin_seconds (or rejected with a 401) is refreshed like this, because Lever
// rotates refresh tokens and two processes must never spend the same one:
//   1. take profile::ConfigLock and reload the config;
//   2. if the stored access token differs from ours and is still valid, another process
//      has refreshed: adopt the stored tokens;
//   3. else POST {auth_url}/oauth/token with the *stored* refresh token and the client
//      secret (PJ_ATS_LEVER_CLIENT_SECRET, else client_secret_command, else stored);
//   4. write the new refresh token, access token and expiry with save_config while still
//      holding the lock, and only then hand out the access token.
// A failed refresh keeps the old refresh token on disk.
//
// A definitive refresh failure (the token endpoint refused the grant or the client:
// invalid_grant, invalid_client or another 4xx; or the client id/secret or the tokens are
// missing from the profile) is sticky: every later authorization() and
// refresh_after_unauthorized() returns the same `auth` error at once, without a request,
// so a bulk run whose grant died makes one token request, not one per candidate. Callers
// waiting on the lock during that refresh get its result. Temporary failures (network,
// 429, 5xx) are not sticky: the next call tries again.
//
// Never call authorization() (or a Client using these credentials) while the same process
// holds profile::ConfigLock, e.g. inside update_config: the refresh takes that lock too
// and would wait for ever.
class OAuthCredentials final : public Credentials {
  public:
    // Unix seconds now; injected by tests.
    using Clock = std::function<std::int64_t()>;

    // `transport` is used only for the token endpoint, under this object's lock.
    // `auth_url_override` (e.g. from PJ_ATS_LEVER_AUTH_URL) wins over the profile's
    // auth_url, which wins over profile::k_default_lever_auth_url.
    OAuthCredentials(std::string config_path,
                     std::string profile_name,
                     http::Transport& transport,
                     Clock clock = {},
                     std::string auth_url_override = {});

    Result<std::string> authorization() override;
    Result<std::string> refresh_after_unauthorized(const std::string& rejected) override;

    bool expired_meanwhile(const std::string& sent) override;
    bool can_refresh() const override {
        return true;
    }

    // Starts from the tokens of `stored` (the profile as the caller loaded it) instead of
    // reading the config file on first use. Without tokens it changes nothing. Call before
    // the first authorization(); refreshes still re-read the file under the lock.
    void seed(const profile::LeverSettings& stored);

    // Where refreshes take the client secret from (e.g. app::Settings, which runs a helper
    // command at most once); default: env > client_secret_command > stored, as re-read.
    using SecretSource = std::function<Result<profile::Secret>()>;
    void set_client_secret_source(SecretSource source);

    // Expiry (unix seconds) of the access token in use; 0 before the first call or when
    // unknown.
    std::int64_t expires_at() const;

  private:
    Status load_locked();
    Result<std::string> refresh_locked();
    // Makes `error` the sticky answer of every later call (see the class comment).
    Error remember_locked(Error error);
    bool usable(const std::string& access_token, std::int64_t expires_at) const;

    std::string m_config_path;
    std::string m_profile_name;
    http::Transport& m_transport;
    Clock m_clock;
    std::string m_auth_url_override;
    SecretSource m_client_secret;

    mutable std::mutex m_mutex;
    bool m_loaded = false;
    std::string m_access_token;
    std::string m_refresh_token;
    std::int64_t m_expires_at = 0;
    std::optional<Error> m_dead; // a definitive refresh failure, returned from then on
};

} // namespace pjats::lever
