// The command's ledger: where it is, and opening it for this run (the first connection
// checks the lineage the profile remembers, records it on first use, and starts the run's
// lease; later ones, for bulk workers, join that run).
#include "context.hpp"

#include <sys/stat.h>

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
    if (remember && !m_generation) {
        // A ledger of this lineage older than the profile has seen is refused (exit 5).
        const std::string seen_path = ledger::generation_path(name);
        auto advanced = ledger::advance_generation(
            **ledger, ledger::read_generation(seen_path), location.describe());
        if (!advanced) {
            return std::move(advanced).error();
        }
        PJATS_TRY(ledger::write_generation(seen_path, *advanced));
        m_generation = *advanced;
        m_location = location;
        struct stat st {};
        if (!location.postgres() && ::stat(location.path.c_str(), &st) == 0) {
            m_file_id = std::make_pair(static_cast<std::uint64_t>(st.st_dev),
                                       static_cast<std::uint64_t>(st.st_ino));
        }
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

Status Context::ledger_lineage_changed(ledger::Ledger& ledger) {
    auto config = load_config();
    if (!config) {
        return config.error();
    }
    const std::string path = ledger::generation_path(profile_name(*config));
    auto next = ledger::continue_generation(ledger, ledger::read_generation(path));
    if (!next) {
        return next.error();
    }
    if (m_generation) {
        m_generation = *next;
    }
    return ledger::write_generation(path, *next);
}

int Context::check_ledger_at_end() {
    if (!m_generation) {
        return 0;
    }
    const std::string where = m_location.describe();
    const auto refuse = [&](const std::string& what) {
        return fail(make_error(ErrorKind::config,
                               "ledger " + where + " " + what + " during this run: the "
                               "outcomes of this run were not recorded in it (what was sent "
                               "is in the ATS; restore the ledger this run used before "
                               "sending again)"));
    };
    if (m_file_id) {
        struct stat st {};
        if (::stat(m_location.path.c_str(), &st) != 0) {
            return refuse("vanished");
        }
        if (static_cast<std::uint64_t>(st.st_dev) != m_file_id->first
            || static_cast<std::uint64_t>(st.st_ino) != m_file_id->second) {
            return refuse("was replaced by another file");
        }
    }
    auto ledger = ledger::open_location(m_location);
    if (!ledger) {
        return fail(ledger.error());
    }
    auto now = ledger::current_generation(**ledger);
    if (!now) {
        return fail(now.error());
    }
    if (now->lineage != m_generation->lineage) {
        return refuse("was replaced by another ledger (lineage " + now->lineage + ")");
    }
    if (now->serial < m_generation->serial) {
        return refuse("was restored from an older copy");
    }
    return 0;
}

} // namespace pjats::cli
