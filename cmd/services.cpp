#include "services.hpp"

#include <pjats/greenhouse/target.hpp>
#include <pjats/http/url.hpp>

#include <cstdlib>

namespace pjats::cli {

namespace {

std::string env_or(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

class GreenhouseHandle final : public TargetHandle {
  public:
    GreenhouseHandle(http::Transport& transport, const GreenhouseAccess& access)
        : m_client(transport, access.base_url, access.key.value, access.email),
          m_target(m_client) {}

    send::Target& target() override { return m_target; }

  private:
    greenhouse::Client m_client;
    greenhouse::GreenhouseTarget m_target;
};

} // namespace

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

Result<std::unique_ptr<source::Source>> open_source(const profile::Profile& profile) {
    const auto& source = profile.source;
    if (source.kind == "dir") {
        return source::make_dir_source(source.dir);
    }
    if (source.kind.empty()) {
        return make_error(ErrorKind::config,
                          "no candidate source configured; run `pj-ats configure source --dir "
                          "PATH` or pass the record with --file");
    }
    return make_error(ErrorKind::config, "source kind '" + source.kind + "' is not supported yet");
}

Result<std::unique_ptr<TargetHandle>> make_target(Context& ctx,
                                                  const profile::Profile& profile,
                                                  const std::string& to) {
    if (to == "greenhouse") {
        auto access = greenhouse_access(profile);
        if (!access) {
            return std::move(access).error();
        }
        return std::unique_ptr<TargetHandle>(
            std::make_unique<GreenhouseHandle>(ctx.transport(profile), *access));
    }
    return make_error(ErrorKind::usage, "unknown target '" + to + "' (use greenhouse or lever)");
}

} // namespace pjats::cli
