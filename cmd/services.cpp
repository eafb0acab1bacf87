#include "services.hpp"

#include <pjats/send/account.hpp>

#include <utility>

namespace pjats::cli {

namespace {

// The command's Services when `profile` is the active profile as loaded; else null.
app::Services* shared_services(Context& ctx, const profile::Profile& profile) {
    auto services = ctx.services();
    if (!services) {
        return nullptr;
    }
    const profile::Profile* active = (*services)->settings().profile();
    return active != nullptr && *active == profile ? *services : nullptr;
}

// Keys the target's sends by the organization its credential reaches (send::bind_account)
// in the active profile's ledger. Offline (dry runs): only what the ledger already
// records, and a ledger is never created.
Status bind_organization(Context& ctx, send::Target& target, bool offline) {
    if (target.org_identity().user.empty()) {
        return {};
    }
    std::unique_ptr<ledger::Ledger> ledger;
    if (offline) {
        auto location = ctx.ledger_location();
        if (!location) {
            return std::move(location).error();
        }
        auto found = ledger::ledger_exists(*location);
        if (!found) {
            return std::move(found).error();
        }
        if (!*found) {
            return {};
        }
        auto opened = ledger::open_location(*location);
        if (!opened) {
            return std::move(opened).error();
        }
        ledger = std::move(*opened);
    } else {
        auto opened = ctx.open_ledger();
        if (!opened) {
            return std::move(opened).error();
        }
        ledger = std::move(*opened);
    }
    auto bound = send::bind_account(*ledger, target, !offline);
    if (!bound) {
        return std::move(bound).error();
    }
    return {};
}

class SharedTarget final : public TargetHandle {
  public:
    explicit SharedTarget(send::Target& target)
        : m_target(target) {}

    send::Target& target() override {
        return m_target;
    }

  private:
    send::Target& m_target;
};

// A target of a profile other than the active one, with its own settings and services.
class OwnedTarget final : public TargetHandle {
  public:
    OwnedTarget(std::shared_ptr<const app::Settings> settings, app::Transports& transports)
        : m_settings(std::move(settings)),
          m_services(*m_settings, transports) {}

    Status start(const std::string& to, bool offline) {
        auto target = m_services.target(to, offline);
        if (!target) {
            return std::move(target).error();
        }
        m_target = *target;
        return {};
    }

    send::Target& target() override {
        return *m_target;
    }

  private:
    std::shared_ptr<const app::Settings> m_settings;
    app::Services m_services;
    send::Target* m_target = nullptr;
};

} // namespace

std::shared_ptr<const app::Settings> settings_for(const Context& ctx,
                                                  const profile::Profile& profile) {
    auto settings = ctx.settings();
    if (settings) {
        const profile::Profile* active = (*settings)->profile();
        if (active != nullptr && *active == profile) {
            return std::shared_ptr<const app::Settings>(std::shared_ptr<void>(), *settings);
        }
        return (*settings)->with_profile(profile);
    }
    // No usable config file (e.g. a profile being configured from scratch).
    return app::Settings(profile::Config{},
                         app::resolve_config_path(ctx.global.config, app::process_env()),
                         ctx.global.profile)
        .with_profile(profile);
}

std::string greenhouse_base_url(const Context& ctx, const profile::Profile& profile) {
    return settings_for(ctx, profile)->greenhouse_url().value;
}

std::string lever_base_url(const Context& ctx, const profile::Profile& profile) {
    return settings_for(ctx, profile)->lever_url().value;
}

std::string lever_auth_url(const Context& ctx, const profile::Profile& profile) {
    return settings_for(ctx, profile)->lever_auth_url().value;
}

Result<GreenhouseAccess> greenhouse_access(const Context& ctx, const profile::Profile& profile) {
    return app::greenhouse_access(*settings_for(ctx, profile));
}

Result<std::shared_ptr<LeverSession>> open_lever(Context& ctx, const profile::Profile& profile) {
    if (app::Services* services = shared_services(ctx, profile)) {
        return services->lever();
    }
    auto services = ctx.services();
    if (!services) {
        return std::move(services).error();
    }

    struct Owned {
        std::shared_ptr<const app::Settings> settings;
        std::shared_ptr<LeverSession> session;
    };

    auto owned = std::make_shared<Owned>();
    owned->settings = settings_for(ctx, profile);
    auto session = (*services)->open_lever(*owned->settings);
    if (!session) {
        return std::move(session).error();
    }
    owned->session = std::move(*session);
    // The session refers to its settings (client secret): keep both alive together.
    return std::shared_ptr<LeverSession>(owned, owned->session.get());
}

Result<std::unique_ptr<source::Source>> open_source(Context& ctx, const profile::Profile& profile) {
    if (app::Services* services = shared_services(ctx, profile)) {
        return services->source();
    }
    auto services = ctx.services();
    if (!services) {
        return std::move(services).error();
    }
    const auto settings = settings_for(ctx, profile);
    app::Services other(*settings, (*services)->transports());
    return other.source(); // the source keeps only the transports
}

Result<std::unique_ptr<TargetHandle>>
make_target(Context& ctx, const profile::Profile& profile, const std::string& to, bool offline) {
    if (app::Services* services = shared_services(ctx, profile)) {
        auto target = services->target(to, offline);
        if (!target) {
            return std::move(target).error();
        }
        PJATS_TRY(bind_organization(ctx, **target, offline));
        return std::unique_ptr<TargetHandle>(std::make_unique<SharedTarget>(**target));
    }
    auto services = ctx.services();
    if (!services) {
        return std::move(services).error();
    }
    auto handle =
        std::make_unique<OwnedTarget>(settings_for(ctx, profile), (*services)->transports());
    PJATS_TRY(handle->start(to, offline));
    return std::unique_ptr<TargetHandle>(std::move(handle));
}

} // namespace pjats::cli
