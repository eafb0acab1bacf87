// The generation check of a profile's ledger (generation.hpp).

#include <pjats/ledger/generation.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace pjats::ledger {

std::string generation_path(const std::string& profile) {
    std::string path = default_path(profile);
    if (path.size() < 3 || path.compare(path.size() - 3, 3, ".db") != 0) {
        return {};
    }
    path.resize(path.size() - 3);
    return path + ".ledger-serial";
}

Generation read_generation(const std::string& path) {
    Generation seen;
    if (path.empty()) {
        return seen;
    }
    std::ifstream in(path);
    std::string lineage;
    std::int64_t serial = 0;
    if (in >> lineage >> serial && serial > 0) {
        seen.lineage = lineage;
        seen.serial = serial;
    }
    return seen;
}

Status write_generation(const std::string& path, const Generation& seen) {
    if (path.empty() || seen.lineage.empty()) {
        return {};
    }
    // The state directory (missing for a profile that only ever used PostgreSQL).
    for (std::size_t slash = path.find('/', 1); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
        ::mkdir(path.substr(0, slash).c_str(), 0700);
    }
    // Runs of one profile end at once (containers where both are "pid 1" too): the file is
    // read and replaced under a lock, so the highest serial wins and no temp file is shared.
    const int lock = ::open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0 || ::flock(lock, LOCK_EX) != 0) {
        if (lock >= 0) {
            ::close(lock);
        }
        return make_error(ErrorKind::config, "cannot lock " + path + ".lock");
    }
    struct Unlock {
        int fd;
        ~Unlock() { ::close(fd); }
    } unlock{lock};
    const Generation recorded = read_generation(path);
    if (recorded.lineage == seen.lineage && recorded.serial >= seen.serial) {
        return {};
    }
    std::string temp = path + ".tmp-XXXXXX";
    const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0) {
        return make_error(ErrorKind::config, "cannot write " + path + ".tmp-*");
    }
    // No fsync: a serial lost in a power cut leaves the file older (or empty), which only
    // weakens the check for one run; it never refuses a ledger that is current.
    const std::string text = seen.lineage + " " + std::to_string(seen.serial) + "\n";
    const bool written = ::fchmod(fd, 0600) == 0
                         && ::write(fd, text.data(), text.size())
                                == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!written || std::rename(temp.c_str(), path.c_str()) != 0) {
        std::remove(temp.c_str());
        return make_error(ErrorKind::config, "cannot write " + path);
    }
    return {};
}

Result<Generation> current_generation(Ledger& ledger) {
    Generation now;
    auto lineage = ledger.lineage();
    if (!lineage) {
        return std::move(lineage).error();
    }
    now.lineage = *lineage;
    auto serial = ledger.meta("serial");
    if (!serial) {
        return std::move(serial).error();
    }
    std::istringstream text(*serial);
    text >> now.serial;
    return now;
}

Status check_not_older(Ledger& ledger, const Generation& seen, const std::string& where) {
    if (seen.lineage.empty()) {
        return {};
    }
    auto now = current_generation(ledger);
    if (!now) {
        return std::move(now).error();
    }
    if (now->lineage == seen.lineage && now->serial < seen.serial) {
        Error error = make_error(
            ErrorKind::config,
            "ledger " + where + " is an older copy of the ledger this profile used (run "
                + std::to_string(now->serial) + " of its history; this profile has seen run "
                + std::to_string(seen.serial) + "): it was restored from a backup or replaced "
                + "by an old copy, and the candidates sent since would be sent again. "
                + "Restore the newest copy (or import an export of it)");
        error.hint = Hint{Hint::Kind::run, "configure ledger --new", "to start over"};
        return error;
    }
    return {};
}

Result<Generation> advance_generation(Ledger& ledger, const Generation& seen,
                                      const std::string& where) {
    PJATS_TRY(check_not_older(ledger, seen, where));
    auto serial = ledger.bump_serial();
    if (!serial) {
        return std::move(serial).error();
    }
    auto lineage = ledger.lineage();
    if (!lineage) {
        return std::move(lineage).error();
    }
    return Generation{*lineage, *serial};
}

Result<Generation> continue_generation(Ledger& ledger, const Generation& seen) {
    auto now = current_generation(ledger);
    if (!now) {
        return std::move(now).error();
    }
    std::int64_t serial = now->serial;
    if (seen.lineage == now->lineage && seen.serial > serial) {
        serial = seen.serial;
    }
    now->serial = serial + 1;
    PJATS_TRY(ledger.set_meta("serial", std::to_string(now->serial)));
    return *now;
}

} // namespace pjats::ledger
