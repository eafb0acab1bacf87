#pragma once

// Stale or switched ledgers (docs/ledger.md, "Stale ledgers"): every ledger counts the runs
// that wrote it (meta "serial", Ledger::bump_serial), and each profile remembers, outside
// the ledger, the lineage and serial it last saw. A ledger of the same lineage with a lower
// serial is an older copy (restored from a backup, a snapshot, another machine's file):
// using it would send again every candidate sent since, so it is refused.

#include <pjats/core/result.hpp>
#include <pjats/ledger/ledger.hpp>

#include <cstdint>
#include <string>

namespace pjats::ledger {

struct Generation {
    std::string lineage;
    std::int64_t serial = 0; // 0: never seen

    bool operator==(const Generation&) const = default;
};

// Where the profile's generation is kept: beside the default SQLite file, in the
// profile's state directory ("<state>/pj-ats/<profile>.ledger-serial"); "" without one.
std::string generation_path(const std::string& profile);

// The generation recorded at `path`; {} when there is none (or it cannot be read).
Generation read_generation(const std::string& path);

// Records `seen` at `path` (0600, atomically), unless a higher serial of the same lineage
// is recorded there already (another run of the profile got further).
Status write_generation(const std::string& path, const Generation& seen);

// The ledger's current generation (serial 0 for a ledger that never counted).
Result<Generation> current_generation(Ledger& ledger);

// A config error (exit 5) naming `where` when `ledger` has `seen`'s lineage and a lower
// serial than `seen`: an older copy.
Status check_not_older(Ledger& ledger, const Generation& seen, const std::string& where);

// At the start of a run: check_not_older, then counts this run (bump_serial); returns the
// generation to remember.
Result<Generation> advance_generation(Ledger& ledger, const Generation& seen,
                                      const std::string& where);

// After an import made `ledger` continue `seen`'s history (ImportReport::lineage_adopted):
// its serial moves past `seen`'s, so the copy it came from now counts as older.
Result<Generation> continue_generation(Ledger& ledger, const Generation& seen);

} // namespace pjats::ledger
