// The command's ledger: where it is, and opening it for this run (the first connection
// checks the lineage the profile remembers, records it on first use, and starts the run's
// lease; later ones, for bulk workers, join that run).
#include "context.hpp"

namespace pjats::cli {

Result<std::unique_ptr<ledger::Ledger>> Context::open_ledger() {
    if (m_ledger_opener && m_run) {
        // Later connections (bulk workers): the lineage was checked by the first.
        auto ledger = m_ledger_opener();
        if (!ledger) {
            return std::move(ledger).error();
        }
        (*ledger)->use_run(m_run->identity());
        return ledger;
    }
    auto config = load_config();
    if (!config) {
        return std::move(config).error();
    }
    const std::string name = profile_name(*config);
    const auto profile = config->profiles.find(name);
    const bool known = profile != config->profiles.end();
    const ledger::Location location =
        ledger::location_for(name, known ? profile->second.ledger_url : std::string());
    // PJ_ATS_LEDGER_URL points this run elsewhere: the profile's lineage is not about it.
    const bool remember = known && !location.from_env;
    ledger::OpenOptions options;
    options.expected_lineage = remember ? profile->second.ledger_lineage : std::string();
    const ledger::LedgerOpener opener = [location, options] {
        return ledger::open_location(location, options);
    };
    auto ledger = opener();
    if (!ledger) {
        return std::move(ledger).error();
    }
    if (remember && options.expected_lineage.empty()) {
        auto lineage = (*ledger)->lineage();
        if (!lineage) {
            return std::move(lineage).error();
        }
        std::optional<profile::Config> saved;
        PJATS_TRY(profile::update_config(config_path(), [&](profile::Config& stored) -> Status {
            const auto it = stored.profiles.find(name);
            if (it != stored.profiles.end() && it->second.ledger_lineage.empty()) {
                it->second.ledger_lineage = *lineage;
            }
            saved = stored;
            return {};
        }));
        m_config = std::move(saved); // as written: no second read
    }
    if (!m_run) {
        auto run = ledger::RunLease::start(opener, "pj-ats");
        if (!run) {
            return std::move(run).error();
        }
        m_run = std::move(*run);
    }
    m_ledger_opener = opener;
    (*ledger)->use_run(m_run->identity());
    return ledger;
}

Result<ledger::Location> Context::ledger_location() const {
    auto config = load_config();
    if (!config) {
        return std::move(config).error();
    }
    const std::string name = profile_name(*config);
    const auto profile = config->profiles.find(name);
    return ledger::location_for(
        name, profile != config->profiles.end() ? profile->second.ledger_url : std::string());
}

Result<bool> Context::ledger_exists() const {
    auto location = ledger_location();
    if (!location) {
        return std::move(location).error();
    }
    return ledger::ledger_exists(*location);
}

} // namespace pjats::cli
