// Which backend a profile's ledger uses, and opening it: a SQLite file (Ledger::open) or a
// PostgreSQL database named by a URL without a password.

#include "ledger/pg_conn.hpp"
#include "ledger/pg_ledger.hpp"
#include "ledger/pg_schema.hpp"

#include <pjats/ledger/ledger.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <string>

namespace pjats::ledger {

namespace {

Error url_error(const std::string& message) {
    const std::string how =
        "give the password to libpq instead: a ~/.pgpass line HOST:PORT:DB:USER:PASSWORD "
        "(mode 0600) or PGPASSFILE=FILE, or a service in ~/.pg_service.conf "
        "(PGSERVICE=NAME or postgresql:///?service=NAME); for TLS add "
        "?sslmode=verify-full&sslrootcert=FILE (docs/ledger.md, \"PostgreSQL\")";
    Error error = make_error(ErrorKind::config, message + "; " + how);
    error.detail = how;
    return error;
}

Error pg_lineage_error(const std::string& url, const std::string& what) {
    Error error = make_error(ErrorKind::config,
                      "ledger " + url + " " + what
                          + "; pj-ats will not start a new one silently, because every "
                            "candidate already sent would be sent again. Restore the database "
                            "(pg_dump / `pj-ats ledger export`), or point the profile at this "
                            "database on purpose");
    error.hint = Hint{Hint::Kind::run, "configure ledger --url URL", ""};
    return error;
}

Result<std::unique_ptr<Ledger>> open_postgres(const Location& location,
                                              const OpenOptions& options) {
    PJATS_TRY(check_postgres_url(location.url));
    auto conn = detail::PgConn::connect(location.url);
    if (!conn) {
        return std::move(conn).error();
    }
    if (!options.expected_lineage.empty()) {
        auto exists = detail::pg_schema_exists(**conn);
        if (!exists) {
            return std::move(exists).error();
        }
        if (!*exists) {
            return pg_lineage_error(location.url, "has no pj-ats ledger, but this profile used "
                                                  "ledger " + options.expected_lineage);
        }
    }
    PJATS_TRY(detail::pg_migrate(**conn));
    auto ledger = std::make_unique<detail::PgLedger>(std::move(*conn));
    if (!options.expected_lineage.empty()) {
        auto lineage = ledger->lineage();
        if (!lineage) {
            return std::move(lineage).error();
        }
        if (*lineage != options.expected_lineage) {
            return pg_lineage_error(location.url, "is a different ledger (lineage " + *lineage
                                                      + ") from the one this profile used ("
                                                      + options.expected_lineage + ")");
        }
    }
    return std::unique_ptr<Ledger>(std::move(ledger));
}

} // namespace

Location location_for(const std::string& profile, const std::string& profile_url) {
    Location location;
    const char* env = std::getenv("PJ_ATS_LEDGER_URL");
    if (env != nullptr && *env != '\0') {
        location.url = env;
        location.from_env = true;
    } else if (!profile_url.empty()) {
        location.url = profile_url;
    } else {
        location.path = default_path(profile);
    }
    return location;
}

Status check_postgres_url(const std::string& url) {
    std::string rest;
    bool matched = false;
    for (const char* scheme : {"postgresql://", "postgres://"}) {
        if (url.rfind(scheme, 0) == 0) {
            rest = url.substr(std::char_traits<char>::length(scheme));
            matched = true;
            break;
        }
    }
    if (!matched) {
        return make_error(ErrorKind::config,
                          "a ledger URL starts with postgresql:// "
                          "(postgresql://USER@HOST[:PORT]/DB[?sslmode=…])");
    }
    const std::string::size_type end = rest.find_first_of("/?");
    const std::string authority = rest.substr(0, end);
    const std::string::size_type at = authority.rfind('@');
    if (at != std::string::npos && authority.substr(0, at).find(':') != std::string::npos) {
        return url_error("the ledger URL holds a password; pj-ats stores the URL in the profile "
                         "and shows it in status, so it refuses passwords in it");
    }
    const std::string::size_type query = rest.find('?');
    if (query != std::string::npos) {
        const std::string params = "&" + rest.substr(query + 1);
        if (params.find("&password=") != std::string::npos) {
            return url_error("the ledger URL holds a password parameter; pj-ats refuses "
                             "passwords in the URL");
        }
    }
    if (url.find_first_of(" \t\r\n") != std::string::npos) {
        return make_error(ErrorKind::config, "a ledger URL holds no spaces");
    }
    return {};
}

Result<std::unique_ptr<Ledger>> open_location(const Location& location,
                                              const OpenOptions& options) {
    if (location.postgres()) {
        return open_postgres(location, options);
    }
    return Ledger::open(location.path, options);
}

Result<bool> ledger_exists(const Location& location) {
    if (!location.postgres()) {
        struct stat st {};
        return !location.path.empty() && ::stat(location.path.c_str(), &st) == 0;
    }
    PJATS_TRY(check_postgres_url(location.url));
    auto conn = detail::PgConn::connect(location.url);
    if (!conn) {
        return std::move(conn).error();
    }
    return detail::pg_schema_exists(**conn);
}

} // namespace pjats::ledger
