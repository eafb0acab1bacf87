// Services built once per command from its Settings: the Lever session, the Greenhouse
// client and identity, the candidate source and the send targets.
#include <pjats/app/services.hpp>
#include <pjats/core/fingerprint.hpp>
#include <pjats/greenhouse/target.hpp>
#include <pjats/http/url.hpp>
#include <pjats/lever/target.hpp>

#include <cctype>
#include <utility>

namespace pjats::app {

namespace {

std::string lowercase(std::string text) {
    for (char& c : text) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return text;
}

} // namespace

struct Services::TargetHolder {
    std::unique_ptr<greenhouse::Client> greenhouse; // greenhouse only
    std::shared_ptr<LeverSession> lever;            // lever only
    std::unique_ptr<send::Target> target;
};

Result<GreenhouseAccess> greenhouse_access(const Settings& settings) {
    const profile::Profile* profile = settings.profile();
    if (profile == nullptr || !profile->greenhouse) {
        return with_run_hint(
            make_error(ErrorKind::config, "Greenhouse is not configured for this profile"),
            "configure greenhouse --email USER_EMAIL --api-key-stdin");
    }
    GreenhouseAccess access;
    access.base_url = settings.greenhouse_url().value;
    PJATS_TRY(http::check_base_url(access.base_url, "Greenhouse base URL"));
    access.email = profile->greenhouse->email;
    auto key = settings.greenhouse_key();
    if (!key) {
        return std::move(key).error();
    }
    if (key->value.empty()) {
        return with_run_hint(make_error(ErrorKind::auth, "no Greenhouse API key"),
                             "configure greenhouse",
                             "or set PJ_ATS_GREENHOUSE_API_KEY");
    }
    if (access.email.empty()) {
        return with_run_hint(make_error(ErrorKind::config, "no On-Behalf-Of email for Greenhouse"),
                             "configure greenhouse --email USER_EMAIL");
    }
    access.key = std::move(*key);
    return access;
}

Services::Services(const Settings& settings, Transports& transports, ProfileUpdate update)
    : m_settings(settings),
      m_transports(transports),
      m_update(std::move(update)) {}

Services::~Services() = default;

Result<std::shared_ptr<LeverSession>> Services::lever() {
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (m_lever) {
            return m_lever;
        }
    }
    auto opened = open_lever(m_settings);
    if (!opened) {
        return std::move(opened).error();
    }
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_lever) {
        m_lever = std::move(*opened);
    }
    return m_lever;
}

Result<std::shared_ptr<LeverSession>> Services::open_lever(const Settings& settings) {
    const profile::Profile* profile = settings.profile();
    const profile::LeverSettings stored =
        profile != nullptr && profile->lever ? *profile->lever : profile::LeverSettings{};
    auto session = std::make_shared<LeverSession>();
    session->base_url = settings.lever_url().value;
    session->perform_as = stored.perform_as;
    session->perform_as_email = stored.perform_as_email;
    PJATS_TRY(http::check_base_url(session->base_url, "Lever base URL"));
    auto key = settings.lever_api_key();
    if (!key) {
        return std::move(key).error();
    }
    if (!key->value.empty()) {
        session->credentials = std::make_unique<lever::ApiKeyCredentials>(key->value);
        session->auth_mode = std::string("api_key (") + profile::to_string(key->origin) + ")";
    } else if (stored.auth == "oauth") {
        const Setting auth_url = settings.lever_auth_url();
        PJATS_TRY(http::check_base_url(auth_url.value, "Lever auth URL"));
        auto oauth = std::make_unique<lever::OAuthCredentials>(
            settings.config_path().value,
            settings.profile_name().value,
            m_transports.shared(),
            lever::OAuthCredentials::Clock{},
            auth_url.origin == Origin::env ? auth_url.value : std::string());
        oauth->seed(stored); // the profile as loaded: no second read
        oauth->set_client_secret_source([&settings] { return settings.lever_client_secret(); });
        session->credentials = std::move(oauth);
        session->auth_mode = "oauth";
    } else {
        return with_run_hint(
            make_error(ErrorKind::config, "Lever is not configured for this profile"),
            "configure lever --api-key-stdin",
            "or `pj-ats configure lever --oauth --client-id ID`");
    }
    session->client = std::make_unique<lever::Client>(
        m_transports.target("lever"), *session->credentials, session->base_url);
    return session;
}

Result<std::unique_ptr<source::Source>> Services::source() {
    const profile::Profile* profile = m_settings.profile();
    const profile::SourceSettings source =
        profile != nullptr ? profile->source : profile::SourceSettings{};
    if (source.kind == "dir") {
        return source::make_dir_source(source.dir);
    }
    if (source.kind == "url") {
        const Setting url = m_settings.source_url();
        PJATS_TRY(http::check_base_url(url.value, "source URL"));
        auto token = m_settings.source_token();
        if (!token) {
            return std::move(token).error();
        }
        return source::make_url_source(m_transports.shared(), url.value, token->value);
    }
    if (source.kind.empty()) {
        return with_run_hint(make_error(ErrorKind::config, "no candidate source configured"),
                             "configure source --dir PATH",
                             "or pass the record with --file");
    }
    return make_error(ErrorKind::config, "source kind '" + source.kind + "' is not supported");
}

Result<std::string> Services::greenhouse_identity(const GreenhouseAccess& access,
                                                  greenhouse::Client& client,
                                                  bool offline) {
    const std::string key_print = fingerprint(access.key.value);
    const profile::Profile* profile = m_settings.profile();
    if (profile != nullptr && profile->greenhouse && !profile->greenhouse->account_id.empty()
        && profile->greenhouse->key_fingerprint == key_print) {
        return profile->greenhouse->account_id;
    }
    if (offline) {
        return std::string(); // unknown until a run may ask the API
    }
    auto user = client.current_user();
    if (!user) {
        return std::move(user).error();
    }
    const std::string identity = "user:" + std::to_string(user->id);
    if (access.key.origin != profile::SecretOrigin::environment && m_update) {
        // Remember it, so later runs need no extra request; failing to save costs only that.
        static_cast<void>(m_update([&](profile::Profile& p) -> Status {
            if (p.greenhouse) {
                p.greenhouse->account_id = identity;
                p.greenhouse->key_fingerprint = key_print;
            }
            return {};
        }));
    }
    return identity;
}

Result<send::Target*> Services::target(const std::string& to, bool offline) {
    if (const auto it = m_targets.find(to); it != m_targets.end()) {
        return it->second->target.get();
    }
    auto holder = std::make_unique<TargetHolder>();
    if (to == "greenhouse") {
        auto access = greenhouse_access(m_settings);
        if (!access) {
            return std::move(access).error();
        }
        holder->greenhouse = std::make_unique<greenhouse::Client>(
            m_transports.target("greenhouse"), access->base_url, access->key.value, access->email);
        auto identity = greenhouse_identity(*access, *holder->greenhouse, offline);
        if (!identity) {
            return std::move(identity).error();
        }
        auto greenhouse = std::make_unique<greenhouse::GreenhouseTarget>(
            *holder->greenhouse,
            identity->empty() ? std::string() : send::account_key(access->base_url, *identity));
        // The organization is found in the ledger (send::bind_account); this is who asks.
        send::OrgIdentity org;
        org.url = http::canonical_base_url(access->base_url);
        org.user = identity->rfind("user:", 0) == 0 ? identity->substr(5) : std::string();
        org.proof = lowercase(access->email);
        greenhouse->set_org_identity(std::move(org));
        holder->target = std::move(greenhouse);
    } else if (to == "lever") {
        auto session = lever();
        if (!session) {
            return std::move(session).error();
        }
        holder->lever = *session;
        if (holder->lever->perform_as.empty()) {
            return with_run_hint(
                make_error(ErrorKind::config, "Lever needs a user to perform actions as"),
                "configure lever ... --perform-as-email EMAIL",
                "(or --perform-as USER_ID)");
        }
        auto lever = std::make_unique<lever::LeverTarget>(
            *holder->lever->client,
            holder->lever->perform_as,
            send::account_key(holder->lever->base_url, "user:" + holder->lever->perform_as),
            holder->lever->perform_as_email,
            &m_transports.shared()); // résumé downloads: unpaced, no credentials
        send::OrgIdentity org;
        org.url = http::canonical_base_url(holder->lever->base_url);
        org.user = holder->lever->perform_as;
        lever->set_org_identity(std::move(org));
        holder->target = std::move(lever);
    } else {
        return make_error(ErrorKind::usage,
                          "unknown target '" + to + "' (use greenhouse or lever)");
    }
    send::Target* target = holder->target.get();
    m_targets.emplace(to, std::move(holder));
    return target;
}

} // namespace pjats::app
