#include <pjats/send/sender.hpp>

namespace pjats::send {

const char* to_string(ItemStatus status) {
    switch (status) {
    case ItemStatus::sent:
        return "sent";
    case ItemStatus::found_existing:
        return "found_existing";
    case ItemStatus::skipped:
        return "skipped";
    case ItemStatus::dry_run:
        return "dry_run";
    case ItemStatus::review:
        return "review";
    case ItemStatus::failed:
        return "failed";
    }
    return "failed";
}

namespace {

ItemReport failed(const std::string& id, Error error) {
    ItemReport report;
    report.candidate_id = id;
    report.status = ItemStatus::failed;
    report.error = std::move(error);
    return report;
}

ItemReport ledger_failure(const std::string& id, const Error& error) {
    return failed(id, error); // ledger errors already name the ledger file
}

// Marks the key for review; the report keeps the original error for the user.
ItemReport needs_review(ledger::Ledger& ledger, const ledger::Key& key, Error error,
                        const std::string& target_name) {
    error.message += " — the " + target_name
                     + " record may exist already; check it there, then re-run with --force "
                       "to send again";
    (void)ledger.mark_review(key, error.message);
    ItemReport report;
    report.candidate_id = key.candidate_id;
    report.status = ItemStatus::review;
    report.error = std::move(error);
    return report;
}

// Looks the candidate up after an unknown outcome. Returns a finished report when the
// record was found (ledger updated), nullopt when it is safe to send (nothing found).
Result<std::optional<ItemReport>> resolve_unknown(Target& target, ledger::Ledger& ledger,
                                                  const ledger::Key& key,
                                                  const model::Candidate& candidate,
                                                  const Placement& placement) {
    auto existing = target.find_existing(candidate, placement);
    if (!existing) {
        return std::move(existing).error();
    }
    if (!existing->has_value()) {
        return std::optional<ItemReport>{};
    }
    Outcome outcome = **existing;
    outcome.found_existing = true;
    auto marked = ledger.mark_sent(key, outcome.remote_id);
    if (!marked) {
        return marked.error();
    }
    ItemReport report;
    report.candidate_id = key.candidate_id;
    report.status = ItemStatus::found_existing;
    report.outcome = std::move(outcome);
    return std::optional<ItemReport>(std::move(report));
}

} // namespace

ItemReport send_one(Target& target,
                    ledger::Ledger& ledger,
                    const model::Candidate& candidate,
                    const Placement& placement,
                    const SendFlags& flags) {
    const ledger::Key key{candidate.id, target.name(), target.destination(placement)};

    if (flags.dry_run) {
        auto request = target.describe_request(candidate, placement);
        if (!request) {
            return failed(candidate.id, std::move(request).error());
        }
        ItemReport report;
        report.candidate_id = candidate.id;
        report.status = ItemStatus::dry_run;
        report.request = std::move(*request);
        return report;
    }

    auto previous = ledger.get(key);
    if (!previous) {
        return ledger_failure(candidate.id, previous.error());
    }
    if (previous->has_value() && !flags.force) {
        const ledger::Entry& entry = **previous;
        if (entry.state == ledger::State::sent) {
            ItemReport report;
            report.candidate_id = candidate.id;
            report.status = ItemStatus::skipped;
            report.outcome.remote_id = entry.remote_id;
            return report;
        }
        if (entry.state == ledger::State::pending || entry.state == ledger::State::review) {
            if (!target.can_look_up()) {
                Error error = make_error(ErrorKind::temporary,
                                         "an earlier send of candidate " + candidate.id + " to "
                                             + target.name() + " ended with an unknown outcome");
                error.outcome_unknown = true;
                return needs_review(ledger, key, std::move(error), target.name());
            }
            auto resolved = resolve_unknown(target, ledger, key, candidate, placement);
            if (!resolved) {
                return failed(candidate.id, std::move(resolved).error());
            }
            if (resolved->has_value()) {
                return std::move(**resolved);
            }
        }
    }

    const std::string hint = candidate.email;
    if (auto marked = ledger.mark_pending(key, hint); !marked) {
        return ledger_failure(candidate.id, marked.error());
    }
    auto created = target.create(candidate, placement);
    if (!created && created.error().outcome_unknown && target.can_look_up()) {
        // The server may have acted: look before sending again, exactly once.
        auto resolved = resolve_unknown(target, ledger, key, candidate, placement);
        if (resolved && resolved->has_value()) {
            return std::move(**resolved);
        }
        if (resolved) {
            created = target.create(candidate, placement);
        }
    }
    if (!created) {
        Error error = std::move(created).error();
        if (error.outcome_unknown) {
            if (target.can_look_up()) {
                // Leave the row pending: the next run looks it up before sending.
                return failed(candidate.id, std::move(error));
            }
            return needs_review(ledger, key, std::move(error), target.name());
        }
        (void)ledger.mark_failed(key, error.message, error.kind == ErrorKind::temporary);
        return failed(candidate.id, std::move(error));
    }
    if (auto marked = ledger.mark_sent(key, created->remote_id); !marked) {
        // Sent, but the ledger could not record it: say so loudly, the row stays pending.
        Error error = marked.error();
        error.message = "sent as " + created->remote_id + " but the ledger could not record it: "
                        + error.message;
        error.outcome_unknown = true;
        return failed(candidate.id, std::move(error));
    }
    ItemReport report;
    report.candidate_id = candidate.id;
    report.status = ItemStatus::sent;
    report.outcome = std::move(*created);
    return report;
}

} // namespace pjats::send
