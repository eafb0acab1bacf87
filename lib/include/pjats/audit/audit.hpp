#pragma once

// `pj-ats audit`: proves "never sent twice" against the ATS itself, read-only (docs/ledger.md,
// "Audit"). The library returns findings; cmd/commands/audit.cpp renders them.

#include <pjats/core/result.hpp>
#include <pjats/greenhouse/client.hpp>
#include <pjats/ledger/ledger.hpp>
#include <pjats/lever/client.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace pjats::audit {

enum class Kind {
    unknown,   // Lever: an opportunity tagged "Purpose Jobs" that no ledger row names
    duplicate, // Lever: more opportunities for one person than the ledger sent
    missing,   // a `sent` row whose record the ATS no longer shows
    review,    // a row waiting for a person (ledger resolve)
};

const char* to_string(Kind kind);

struct Finding {
    Kind kind = Kind::unknown;
    std::string target;       // "greenhouse" | "lever"
    std::string candidate_id; // "" when the ledger names none (unknown)
    std::string destination;  // the ledger row's, when there is one
    std::string remote_id;    // the ATS record (for duplicate: every one of them, space-separated)
};

struct Report {
    std::string target;
    std::int64_t rows = 0;    // ledger rows of this account looked at
    std::int64_t records = 0; // ATS records looked at
    std::vector<Finding> findings;
};

// `rows`: the ledger's rows of the target's account. Lever: every opportunity tagged
// "Purpose Jobs" (GET /v1/opportunities?tag=) against the rows' remote ids (and ids replaced
// by forced re-sends); one person (an e-mail the rows recorded) with more opportunities than
// rows is a duplicate; each `sent` row's opportunity is read (GET /v1/opportunities/:id).
Result<Report> audit_lever(lever::Client& client, const std::vector<ledger::Entry>& rows);

// Greenhouse cannot be listed: each `sent` row's candidate is read by id, in batches of
// greenhouse::k_status_batch (GET /v1/partner/candidates?candidate_ids=).
Result<Report> audit_greenhouse(greenhouse::Client& client, const std::vector<ledger::Entry>& rows);

} // namespace pjats::audit
