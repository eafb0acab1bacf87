#include "services.hpp"

#include <pjats/greenhouse/target.hpp>
#include <pjats/lever/target.hpp>
#include <pjats/http/url.hpp>
#include <pjats/core/fingerprint.hpp>

#include <cstdlib>
#include <functional>
#include <utility>

namespace pjats::cli {

namespace {

std::string env_or(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

class GreenhouseHandle final : public TargetHandle {
  public:
    GreenhouseHandle(http::Transport& transport, const GreenhouseAccess& access)
        : m_client(transport, access.base_url, access.key.value, access.email) {}

    // Learns whom the key acts as (the ledger's account) and builds the target.
    Status start(Context& ctx, const profile::Profile& profile, const GreenhouseAccess& access,
                 bool offline) {
        auto identity = greenhouse_identity(ctx, profile, access, m_client, offline);
        if (!identity) {
            return std::move(identity).error();
        }
        m_target = std::make_unique<greenhouse::GreenhouseTarget>(
            m_client, identity->empty() ? std::string()
                                        : send::account_key(access.base_url, *identity));
        return {};
    }

    send::Target& target() override { return *m_target; }

  private:
    greenhouse::Client m_client;
    std::unique_ptr<greenhouse::GreenhouseTarget> m_target;
};

class LeverHandle final : public TargetHandle {
  public:
    LeverHandle(std::unique_ptr<LeverSession> session, const std::string& base_url)
        : m_session(std::move(session)),
          m_target(*m_session->client, m_session->perform_as,
                   send::account_key(base_url, "user:" + m_session->perform_as)) {}

    send::Target& target() override { return m_target; }

  private:
    std::unique_ptr<LeverSession> m_session;
    lever::LeverTarget m_target;
};

} // namespace

Result<std::string> greenhouse_identity(Context& ctx, const profile::Profile& profile,
                                        const GreenhouseAccess& access,
                                        greenhouse::Client& client, bool offline) {
    const std::string key_print = fingerprint(access.key.value);
    const profile::GreenhouseSettings& stored = *profile.greenhouse;
    if (!stored.account_id.empty() && stored.key_fingerprint == key_print) {
        return stored.account_id;
    }
    if (offline) {
        return std::string(); // unknown until a run may ask the API
    }
    auto user = client.current_user();
    if (!user) {
        return std::move(user).error();
    }
    const std::string identity = "user:" + std::to_string(user->id);
    if (access.key.origin != profile::SecretOrigin::environment) {
        // Remember it, so later runs need no extra request; failing to save costs only that.
        static_cast<void>(ctx.update_profile([&](profile::Profile& p) -> Status {
            if (p.greenhouse) {
                p.greenhouse->account_id = identity;
                p.greenhouse->key_fingerprint = key_print;
            }
            return {};
        }));
    }
    return identity;
}

std::string lever_base_url(const profile::Profile& profile) {
    std::string stored = profile.lever ? profile.lever->base_url : std::string();
    if (stored.empty()) {
        stored = profile::k_default_lever_url;
    }
    return env_or("PJ_ATS_LEVER_URL", stored);
}

std::string lever_auth_url(const profile::Profile& profile) {
    std::string stored = profile.lever ? profile.lever->auth_url : std::string();
    if (stored.empty()) {
        stored = profile::k_default_lever_auth_url;
    }
    return env_or("PJ_ATS_LEVER_AUTH_URL", stored);
}

Result<std::unique_ptr<LeverSession>> open_lever(Context& ctx, const profile::Profile& profile) {
    const profile::LeverSettings settings = profile.lever.value_or(profile::LeverSettings{});
    const std::string base_url = lever_base_url(profile);
    PJATS_TRY(http::check_base_url(base_url, "Lever base URL"));
    auto key = profile::resolve_secret("PJ_ATS_LEVER_API_KEY", settings.api_key_command,
                                       settings.auth == "oauth" ? std::string() : settings.api_key);
    if (!key) {
        return std::move(key).error();
    }
    auto session = std::make_unique<LeverSession>();
    session->perform_as = settings.perform_as;
    if (!key->value.empty()) {
        session->credentials = std::make_unique<lever::ApiKeyCredentials>(key->value);
        session->auth_mode = std::string("api_key (") + profile::to_string(key->origin) + ")";
    } else if (settings.auth == "oauth") {
        if (!profile.lever) {
            return make_error(ErrorKind::config, "Lever is not configured for this profile");
        }
        PJATS_TRY(http::check_base_url(lever_auth_url(profile), "Lever auth URL"));
        auto config = ctx.load_config();
        if (!config) {
            return std::move(config).error();
        }
        session->credentials = std::make_unique<lever::OAuthCredentials>(
            ctx.config_path(), ctx.profile_name(*config), ctx.transport(profile),
            lever::OAuthCredentials::Clock{}, env_or("PJ_ATS_LEVER_AUTH_URL", ""));
        session->auth_mode = "oauth";
    } else {
        return make_error(ErrorKind::config,
                          "Lever is not configured for this profile; run `pj-ats configure lever "
                          "--api-key-stdin` or `pj-ats configure lever --oauth --client-id ID`");
    }
    session->limiter = std::make_unique<http::TokenBucket>(lever::k_rate_per_second,
                                                           lever::k_client_burst);
    session->client = std::make_unique<lever::Client>(ctx.transport(profile), *session->credentials,
                                                      base_url, session->limiter.get());
    return session;
}

std::string greenhouse_base_url(const profile::Profile& profile) {
    std::string stored = profile.greenhouse ? profile.greenhouse->base_url : std::string();
    if (stored.empty()) {
        stored = profile::k_default_greenhouse_url;
    }
    return env_or("PJ_ATS_GREENHOUSE_URL", stored);
}

Result<GreenhouseAccess> greenhouse_access(const profile::Profile& profile) {
    if (!profile.greenhouse) {
        return make_error(ErrorKind::config,
                          "Greenhouse is not configured for this profile; run `pj-ats configure "
                          "greenhouse --email USER_EMAIL --api-key-stdin`");
    }
    GreenhouseAccess access;
    access.base_url = greenhouse_base_url(profile);
    PJATS_TRY(http::check_base_url(access.base_url, "Greenhouse base URL"));
    access.email = profile.greenhouse->email;
    auto key = profile::resolve_secret("PJ_ATS_GREENHOUSE_API_KEY",
                                       profile.greenhouse->api_key_command,
                                       profile.greenhouse->api_key);
    if (!key) {
        return std::move(key).error();
    }
    if (key->value.empty()) {
        return make_error(ErrorKind::auth,
                          "no Greenhouse API key: run `pj-ats configure greenhouse` or set "
                          "PJ_ATS_GREENHOUSE_API_KEY");
    }
    if (access.email.empty()) {
        return make_error(ErrorKind::config,
                          "no On-Behalf-Of email for Greenhouse: run `pj-ats configure greenhouse "
                          "--email USER_EMAIL`");
    }
    access.key = std::move(*key);
    return access;
}

namespace {

// A url source with a transport of its own (for callers without a Context).
class OwningUrlSource final : public source::Source {
  public:
    OwningUrlSource(std::unique_ptr<http::Transport> curl,
                    const std::string& url,
                    const std::string& token)
        : m_curl(std::move(curl)),
          m_retrying(*m_curl, http::RetryPolicy{}),
          m_source(source::make_url_source(m_retrying, url, token)) {}

    Result<model::Candidate> candidate(const std::string& id) override {
        return m_source->candidate(id);
    }

    Result<Page>
    applications(const std::string& job_id, const std::string& since, std::size_t limit) override {
        return m_source->applications(job_id, since, limit);
    }

    std::string describe() const override {
        return m_source->describe();
    }

  private:
    std::unique_ptr<http::Transport> m_curl;
    http::RetryingTransport m_retrying;
    std::unique_ptr<source::Source> m_source;
};

// The source URL and token in effect (token: PJ_ATS_SOURCE_TOKEN > token_command > stored).
Result<std::pair<std::string, std::string>> url_source_access(const profile::Profile& profile) {
    const auto& settings = profile.source;
    const std::string url = env_or("PJ_ATS_SOURCE_URL", settings.url);
    PJATS_TRY(http::check_base_url(url, "source URL"));
    auto token = profile::resolve_secret(
        "PJ_ATS_SOURCE_TOKEN", settings.token_command, settings.token, "token_command");
    if (!token) {
        return std::move(token).error();
    }
    return std::make_pair(url, token->value);
}

Result<std::unique_ptr<source::Source>>
open_source_with(const profile::Profile& profile,
                 const std::function<http::Transport&()>& transport) {
    const auto& source = profile.source;
    if (source.kind == "dir") {
        return source::make_dir_source(source.dir);
    }
    if (source.kind == "url") {
        auto access = url_source_access(profile);
        if (!access) {
            return std::move(access).error();
        }
        if (!transport) {
            http::TransportOptions options;
            options.user_agent = http::default_user_agent();
            options.ca_bundle = profile.ca_bundle;
            return std::unique_ptr<source::Source>(std::make_unique<OwningUrlSource>(
                http::make_curl_transport(std::move(options)), access->first, access->second));
        }
        return source::make_url_source(transport(), access->first, access->second);
    }
    if (source.kind.empty()) {
        return make_error(ErrorKind::config,
                          "no candidate source configured; run `pj-ats configure source --dir "
                          "PATH` or pass the record with --file");
    }
    return make_error(ErrorKind::config, "source kind '" + source.kind + "' is not supported");
}

} // namespace

Result<std::unique_ptr<source::Source>> open_source(const profile::Profile& profile) {
    return open_source_with(profile, {});
}

Result<std::unique_ptr<source::Source>> open_source(Context& ctx, const profile::Profile& profile) {
    return open_source_with(
        profile, [&ctx, &profile]() -> http::Transport& { return ctx.transport(profile); });
}

Result<std::unique_ptr<TargetHandle>>
make_target(Context& ctx, const profile::Profile& profile, const std::string& to, bool offline) {
    if (to == "greenhouse") {
        auto access = greenhouse_access(profile);
        if (!access) {
            return std::move(access).error();
        }
        auto handle = std::make_unique<GreenhouseHandle>(ctx.transport(profile), *access);
        PJATS_TRY(handle->start(ctx, profile, *access, offline));
        return std::unique_ptr<TargetHandle>(std::move(handle));
    }
    if (to == "lever") {
        auto session = open_lever(ctx, profile);
        if (!session) {
            return std::move(session).error();
        }
        if ((*session)->perform_as.empty()) {
            return make_error(ErrorKind::config,
                              "Lever needs a user to perform actions as: run `pj-ats configure "
                              "lever ... --perform-as-email EMAIL` (or --perform-as USER_ID)");
        }
        return std::unique_ptr<TargetHandle>(
            std::make_unique<LeverHandle>(std::move(*session), lever_base_url(profile)));
    }
    return make_error(ErrorKind::usage, "unknown target '" + to + "' (use greenhouse or lever)");
}

} // namespace pjats::cli
