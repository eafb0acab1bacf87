// Listing ledger rows and resolving unknown outcomes by hand (docs/ledger.md, "Listing
// and resolving sends"). Only the Ledger interface is used: every backend gets it.

#include <pjats/ledger/review.hpp>

#include <algorithm>

namespace pjats::ledger {

namespace {

constexpr std::size_t k_max_remote_id = 64;

bool all_of_chars(const std::string& text, bool (*allowed)(char)) {
    return std::all_of(text.begin(), text.end(), allowed);
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_lever_id_char(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

// Claims the row at the version read, so no other run can take it while it is resolved.
Status claim_for_resolving(Ledger& ledger, const Entry& entry) {
    auto claimed = ledger.claim(entry.key, "", entry.version);
    if (!claimed) {
        return std::move(claimed).error();
    }
    if (!*claimed) {
        return make_error(ErrorKind::conflict,
                          describe(entry.key)
                              + " changed while it was being resolved (another pj-ats run took "
                                "it); look again with `pj-ats ledger list`");
    }
    return {};
}

// Whether `entry` may be resolved by hand; the error says why not.
Status check_resolvable(Ledger& ledger, const Entry& entry) {
    const std::string what = describe(entry.key);
    switch (entry.state) {
    case State::review:
        return {};
    case State::sent:
        return make_error(ErrorKind::failure,
                          what + " is already sent (" + entry.remote_id
                              + "); nothing to resolve (use `send --force` to send it again)");
    case State::failed:
        return make_error(ErrorKind::failure,
                          what
                              + " failed: the target did not create it, so there is nothing to "
                                "resolve; the next send (or sync) tries it again");
    case State::pending:
        break;
    }
    auto holder = ledger.holder_status(entry.holder);
    if (!holder) {
        return std::move(holder).error();
    }
    if (holder->state == HolderState::alive || holder->state == HolderState::self) {
        return make_error(ErrorKind::conflict,
                          what + " is in flight: a running pj-ats ("
                              + (holder->where.empty() ? std::string("another run") : holder->where)
                              + ") holds it and will record its outcome; wait for it to end");
    }
    return {};
}

} // namespace

std::string describe(const Key& key) {
    return key.candidate_id + " -> " + key.target
           + (key.destination.empty() ? "" : " " + key.destination);
}

Result<std::vector<Entry>>
list_entries(Ledger& ledger, std::optional<State> state, const std::string& target) {
    auto entries = ledger.list(state);
    if (!entries || target.empty()) {
        return entries;
    }
    std::vector<Entry> kept;
    for (Entry& entry : *entries) {
        if (entry.key.target == target) {
            kept.push_back(std::move(entry));
        }
    }
    return kept;
}

Status check_remote_id(const std::string& target, const std::string& remote_id) {
    const bool greenhouse = target == "greenhouse";
    const bool valid = !remote_id.empty() && remote_id.size() <= k_max_remote_id
                       && all_of_chars(remote_id, greenhouse ? &is_digit : &is_lever_id_char);
    if (valid) {
        return {};
    }
    return make_error(ErrorKind::usage,
                      greenhouse ? "--found needs the Greenhouse candidate id (digits), as in "
                                   "the candidate's URL"
                                 : "--found needs the Lever opportunity id (letters, digits and "
                                   "'-'), as in the opportunity's URL");
}

Result<ResolveResult> resolve(Ledger& ledger, const Key& key, const Resolution& resolution) {
    if (resolution.verdict == Resolution::Verdict::found) {
        PJATS_TRY(check_remote_id(key.target, resolution.remote_id));
    }
    auto row = ledger.get(key);
    if (!row) {
        return std::move(row).error();
    }
    if (!*row) {
        return make_error(ErrorKind::not_found,
                          "the ledger has no send of " + describe(key)
                              + " for this account; see `pj-ats ledger list`");
    }
    ResolveResult result;
    result.before = std::move(**row);
    PJATS_TRY(check_resolvable(ledger, result.before));
    PJATS_TRY(claim_for_resolving(ledger, result.before));
    if (resolution.verdict == Resolution::Verdict::found) {
        PJATS_TRY(ledger.mark_sent(key, resolution.remote_id));
        result.after = State::sent;
        result.remote_id = resolution.remote_id;
        return result;
    }
    if (!result.before.remote_id.empty()) {
        // A forced re-send of a sent row: the earlier success stands (mark_failed keeps it).
        PJATS_TRY(ledger.mark_failed(key, "resolved by hand: the re-send created nothing", false));
        result.after = State::sent;
        result.remote_id = result.before.remote_id;
        return result;
    }
    PJATS_TRY(ledger.forget(key));
    result.removed = true;
    result.after = State::pending;
    return result;
}

} // namespace pjats::ledger
