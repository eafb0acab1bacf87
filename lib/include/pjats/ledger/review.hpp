#pragma once

// Inspecting the ledger and closing sends whose outcome pj-ats could not learn
// (`pj-ats ledger list|resolve`, docs/ledger.md "Listing and resolving sends"). Built on
// the Ledger interface only, so it works with every backend.

#include <pjats/ledger/ledger.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pjats::ledger {

// The rows in `state` (all when nullopt) whose target is `target` (all when empty), in
// the ledger's order (oldest update first).
Result<std::vector<Entry>>
list_entries(Ledger& ledger, std::optional<State> state, const std::string& target);

// What a human found in the ATS for one send.
struct Resolution {
    enum class Verdict { found, not_sent };
    Verdict verdict = Verdict::not_sent;
    std::string remote_id; // found: the Greenhouse candidate id / Lever opportunity id seen
};

// What resolve() did.
struct ResolveResult {
    Entry before; // the row as it was
    State after = State::sent;
    bool removed = false;  // not_sent: the row is gone, so the next run sends the candidate
    std::string remote_id; // the row's remote id afterwards ("" when removed)
};

// A remote id as the target's API spells it: Greenhouse candidate ids are numbers, Lever
// opportunity ids letters, digits and '-' (at most 64 characters). A `usage` error otherwise.
Status check_remote_id(const std::string& target, const std::string& remote_id);

// Closes the send `key` after a human checked the ATS. Only a `review` row, or a `pending`
// row whose run is gone (an unknown outcome no run is resolving), can be resolved:
//   found    → claimed by this run, then `sent` with `remote_id` (a replaced id is kept in
//              previous_remote_ids);
//   not_sent → claimed, then removed, so the next send or sync sends it; a row that held
//              an earlier success (a forced re-send that went unknown) goes back to `sent`
//              with that earlier id instead.
// Errors: no such row → not_found; a `sent` or `failed` row → failure (nothing to
// resolve); a pending row of a live run, or a row another run changed meanwhile →
// conflict. The ledger must act for a run (begin_run/use_run) for the claim.
Result<ResolveResult> resolve(Ledger& ledger, const Key& key, const Resolution& resolution);

// "CANDIDATE -> TARGET[ DESTINATION]" for messages.
std::string describe(const Key& key);

} // namespace pjats::ledger
