// The ledger protocol for one candidate: claim, send, record — and the resolution of
// unknown outcomes (docs/ledger.md, "Claims" and "States").

#include <pjats/send/sender.hpp>

#include "send/steps.hpp"

#include <pjats/http/send_guard.hpp>

#include <algorithm>
#include <sstream>
#include <thread>
#include <vector>

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
    case ItemStatus::in_flight:
        return "in_flight";
    }
    return "failed";
}

namespace {

// A claim lost to another run this many times in a row means something is wrong.
constexpr int k_claim_rounds = 5;

ItemReport report_of(const std::string& id, ItemStatus status) {
    ItemReport report;
    report.candidate_id = id;
    report.status = status;
    return report;
}

ItemReport failed(const std::string& id, Error error) {
    ItemReport report = report_of(id, ItemStatus::failed);
    report.error = std::move(error);
    return report;
}

std::vector<std::string> split_hints(const std::string& stored, const std::string& current) {
    std::vector<std::string> hints;
    std::istringstream in(stored);
    std::string hint;
    while (in >> hint) {
        hints.push_back(hint);
    }
    if (!current.empty() && std::find(hints.begin(), hints.end(), current) == hints.end()) {
        hints.push_back(current);
    }
    return hints;
}

// One send under this run's claim.
class Attempt {
  public:
    Attempt(Target& target, ledger::Ledger& ledger, const ledger::Key& key,
            const model::Candidate& candidate, const Placement& placement,
            const UnknownOutcomePolicy& unknown)
        : m_target(target),
          m_ledger(ledger),
          m_key(key),
          m_candidate(candidate),
          m_placement(placement),
          m_unknown(unknown) {}

    // When this run's claim was made (ledger::boottime_ms() taken before it).
    void claimed_at(std::int64_t boottime) { m_claimed_at = boottime; }

    // An earlier claim (`entry`) ended with an unknown outcome: look before sending.
    ItemReport resolve_then_send(const ledger::Entry& entry, std::int64_t holder_seen_ms,
                                 bool force) {
        const std::vector<std::string> hints = split_hints(entry.lookup_hint, m_candidate.email);
        if (!m_target.can_look_up() || hints.empty()) {
            if (force) {
                return send();
            }
            Error error = make_error(ErrorKind::temporary,
                                     "an earlier send of candidate " + m_candidate.id + " to "
                                         + m_target.name() + " ended with an unknown outcome");
            error.outcome_unknown = true;
            return review(std::move(error), hints.empty() && m_target.can_look_up());
        }
        // A request of the dead run may have left until its last sign of life, and the
        // server may commit it well after that (after the client's timeout, its retries):
        // nothing is sent again before a lookup that started `quiet_ms` later.
        const std::int64_t since =
            std::max(holder_seen_ms + ledger::heartbeat_ms(), entry.attempt_at_ms);
        auto found = look_up_until(hints, since + m_unknown.quiet_ms());
        if (!found) {
            return unresolved(std::move(found).error());
        }
        if (found->has_value()) {
            return record_found(std::move(**found));
        }
        return send();
    }

    // Creates the record; after an unknown outcome looks it up over the window and sends
    // once more only when nothing turned up.
    ItemReport send() {
        // Who is credited, checked (once per user and run) before anything leaves.
        auto credited = m_target.credit(m_candidate, m_placement);
        if (credited && !credited->empty()) {
            if (auto recorded = m_ledger.record_credit(m_key, *credited); !recorded) {
                credited = std::move(recorded).error();
            }
        }
        if (!credited) {
            Error error = std::move(credited).error();
            (void)m_ledger.mark_failed(m_key, error.message, error.kind == ErrorKind::temporary);
            return failed(m_candidate.id, std::move(error));
        }
        if (auto planned = detail::plan_steps(m_target, m_ledger, m_key, m_candidate); !planned) {
            Error error = std::move(planned).error();
            (void)m_ledger.mark_failed(m_key, error.message, true);
            return failed(m_candidate.id, std::move(error));
        }
        // Nothing leaves under a claim this run may have lost while stopped (fencing).
        auto held = detail::hold_claim(m_ledger, m_key, "", m_claimed_at);
        if (!held) {
            return failed(m_candidate.id, std::move(held).error());
        }
        if (!*held) {
            ItemReport report = report_of(m_candidate.id, ItemStatus::in_flight);
            report.error = detail::claim_lost();
            return report;
        }
        bool lost = false;
        auto created = [&] {
            // And again right before the request leaves, after any pacer or backoff wait.
            const http::SendGuardScope fence(
                [this, &lost] { return detail::fence(m_ledger, m_key, "", m_claimed_at, lost); });
            return m_target.create(m_candidate, m_placement);
        }();
        if (lost) {
            ItemReport report = report_of(m_candidate.id, ItemStatus::in_flight);
            report.error = detail::claim_lost();
            return report;
        }
        const std::vector<std::string> hints = split_hints("", m_candidate.email);
        const bool can_look = m_target.can_look_up() && !hints.empty();
        if (!created && created.error().outcome_unknown && can_look) {
            // No answer at all (a timeout, a dropped connection): the server may still be
            // processing the request, so it is looked up over the window. An answer (even
            // a broken one) means it has finished: one look. Never created again by this
            // run: what is not found stays pending for a later run, which sends it only
            // once the policy's quiet time has passed (docs/ledger.md, "Unknown outcomes").
            const std::int64_t window =
                created.error().http_status == 0 ? m_unknown.window.count() : 0;
            auto found = look_up_until(hints, now_ms() + window);
            if (found && found->has_value()) {
                return record_found(std::move(**found));
            }
        }
        if (!created) {
            Error error = std::move(created).error();
            if (error.outcome_unknown) {
                if (can_look) {
                    // The row stays pending under this run; once the run has ended, the next
                    // run looks the record up before sending.
                    return unresolved(std::move(error));
                }
                return review(std::move(error), m_target.can_look_up());
            }
            (void)m_ledger.mark_failed(m_key, error.message, error.kind == ErrorKind::temporary);
            return failed(m_candidate.id, std::move(error));
        }
        if (auto marked = m_ledger.mark_sent(m_key, created->remote_id); !marked) {
            // Sent, but the ledger could not record it: say so loudly, the row stays pending.
            Error error = marked.error();
            error.message = "sent as " + created->remote_id
                            + " but the ledger could not record it: " + error.message;
            error.outcome_unknown = true;
            return failed(m_candidate.id, std::move(error));
        }
        ItemReport report = report_of(m_candidate.id, ItemStatus::sent);
        report.outcome = std::move(*created);
        return detail::finish_steps(m_target, m_ledger, m_key, m_candidate, std::move(report),
                                    m_unknown);
    }

  private:
    std::int64_t now_ms() const {
        if (m_unknown.now_ms) {
            return m_unknown.now_ms();
        }
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }

    void sleep(std::chrono::milliseconds delay) const {
        if (m_unknown.sleep) {
            m_unknown.sleep(delay);
        } else {
            std::this_thread::sleep_for(delay);
        }
    }

    // Looks the record up by every hint, again and again until a lookup that started at
    // or after `deadline_ms` found nothing: a request still in flight at the server may
    // create it meanwhile.
    Result<std::optional<Outcome>> look_up_until(const std::vector<std::string>& hints,
                                                 std::int64_t deadline_ms) {
        for (;;) {
            const std::int64_t started = now_ms();
            for (const std::string& hint : hints) {
                model::Candidate probe = m_candidate;
                probe.email = hint;
                auto found = m_target.find_existing(probe, m_placement);
                if (!found || found->has_value()) {
                    return found;
                }
            }
            if (started >= deadline_ms) {
                return std::optional<Outcome>();
            }
            const std::int64_t left = deadline_ms - now_ms();
            if (left > 0) {
                sleep(std::min(m_unknown.poll_interval, std::chrono::milliseconds(left)));
            }
        }
    }

    // The outcome stays unknown (the row pending, the reason noted): a later run looks first.
    ItemReport unresolved(Error error) {
        error.outcome_unknown = true;
        error.message += "; the outcome is unknown: a later run looks the record up again and "
                         "sends it only if it is missing, not sooner than "
                         + std::to_string(m_unknown.quiet_ms() / 1000) + " s after this attempt";
        (void)m_ledger.note_unresolved(m_key, error.message);
        return failed(m_candidate.id, std::move(error));
    }

    ItemReport record_found(Outcome outcome) {
        outcome.found_existing = true;
        if (auto marked = m_ledger.mark_sent(m_key, outcome.remote_id); !marked) {
            return failed(m_candidate.id, marked.error());
        }
        ItemReport report = report_of(m_candidate.id, ItemStatus::found_existing);
        report.outcome = std::move(outcome);
        return detail::finish_steps(m_target, m_ledger, m_key, m_candidate, std::move(report),
                                    m_unknown);
    }

    ItemReport review(Error error, bool for_missing_email) {
        error.message += for_missing_email
                             ? " — the record has no e-mail address to look it up by in "
                                   + m_target.name() + "; check there"
                             : " — the " + m_target.name()
                                   + " record may exist already; check it there";
        (void)m_ledger.mark_review(m_key, error.message);
        // What closes a review: the ledger is told what the check found (as `status` says).
        const Destination where = Destination::parse(m_key.destination);
        std::string flags;
        if (where.kind == Destination::Kind::job) {
            flags = " --job " + where.id;
        } else if (where.kind == Destination::Kind::posting) {
            flags = " --posting " + where.id;
        }
        error.hint = Hint{Hint::Kind::run,
                          "ledger resolve " + m_candidate.id + " --to " + m_target.name() + flags
                              + " --found "
                              + (m_target.name() == "greenhouse" ? "CANDIDATE_ID" : "OPPORTUNITY_ID"),
                          "with what you found (or --not-sent: the next run sends it)"};
        ItemReport report = report_of(m_candidate.id, ItemStatus::review);
        report.error = std::move(error);
        return report;
    }

    Target& m_target;
    ledger::Ledger& m_ledger;
    const ledger::Key& m_key;
    const model::Candidate& m_candidate;
    const Placement& m_placement;
    const UnknownOutcomePolicy& m_unknown;
    std::int64_t m_claimed_at = 0;
};

ItemReport describe(Target& target, const model::Candidate& candidate,
                    const Placement& placement) {
    auto request = target.describe_request(candidate, placement);
    if (!request) {
        return failed(candidate.id, std::move(request).error());
    }
    ItemReport report = report_of(candidate.id, ItemStatus::dry_run);
    report.request = std::move(*request);
    return report;
}

ItemReport in_flight(const std::string& id, const std::string& where) {
    ItemReport report = report_of(id, ItemStatus::in_flight);
    report.error = make_error(ErrorKind::temporary,
                              "being sent by another pj-ats run (" + where
                                  + "); that run records the outcome");
    return report;
}


// Ledger meta naming the Greenhouse candidate a Purpose Jobs candidate became on a job
// ("<destination> <remote id>"), so a later prospect send of them can say so without
// scanning the ledger.
std::string on_job_meta(const ledger::Key& key) {
    return "greenhouse_on_job|" + key.account + "|" + key.candidate_id;
}

// Greenhouse: "prospect <id>" when the candidate was sent to the same account as a
// prospect and this send puts them on a job, or "candidate <id> on job:<id>" when they
// were put on a job and this send makes a prospect — the Candidate Ingestion API cannot
// add an application to, or find, an existing candidate, so either order makes a second
// candidate. (Lever keeps one contact with an opportunity per posting by design: nothing
// to say.)
std::string sent_without_destination(Target& target, ledger::Ledger& ledger,
                                     const ledger::Key& key) {
    if (target.name() != "greenhouse") {
        return {};
    }
    if (key.destination.empty()) {
        auto on_job = ledger.meta(on_job_meta(key));
        if (!on_job || on_job->empty()) {
            return {};
        }
        const std::size_t space = on_job->find(' ');
        if (space == std::string::npos) {
            return {};
        }
        return "candidate " + on_job->substr(space + 1) + " on " + on_job->substr(0, space);
    }
    auto plain = ledger.get(ledger::Key{key.candidate_id, key.target, "", key.account});
    if (plain && plain->has_value() && (**plain).state == ledger::State::sent) {
        return "prospect " + (**plain).remote_id;
    }
    return {};
}

ItemReport with_earlier(ItemReport report, Target& target, ledger::Ledger* ledger,
                        const ledger::Key& key) {
    if (ledger != nullptr
        && (report.status == ItemStatus::sent || report.status == ItemStatus::dry_run)) {
        report.already_as = sent_without_destination(target, *ledger, key);
    }
    if (ledger != nullptr && report.status == ItemStatus::sent && !key.destination.empty()
        && target.name() == "greenhouse" && !report.outcome.remote_id.empty()) {
        // Best effort: without it only the note of a later prospect send is lost.
        (void)ledger->set_meta(on_job_meta(key), key.destination + " " + report.outcome.remote_id);
    }
    return report;
}

} // namespace

ItemReport send_one(Target& target,
                    ledger::Ledger& ledger,
                    const model::Candidate& candidate,
                    const Placement& placement,
                    const SendFlags& flags,
                    const UnknownOutcomePolicy& unknown) {
    if (flags.dry_run) {
        return dry_run_one(target, &ledger, candidate, placement, flags.force);
    }
    const ledger::Key key{candidate.id, target.name(), target.destination(placement),
                          target.account()};
    Attempt attempt(target, ledger, key, candidate, placement, unknown);
    for (int round = 0; round < k_claim_rounds; ++round) {
        auto previous = ledger.get(key);
        if (!previous) {
            return failed(candidate.id, previous.error());
        }
        if (!previous->has_value()) {
            attempt.claimed_at(ledger::boottime_ms());
            auto claimed = ledger.claim(key, candidate.email, 0);
            if (!claimed) {
                return failed(candidate.id, claimed.error());
            }
            if (*claimed) {
                return with_earlier(attempt.send(), target, &ledger, key);
            }
            continue; // another run created the row first: look at it
        }
        const ledger::Entry& entry = **previous;
        std::int64_t holder_seen_ms = 0;
        switch (entry.state) {
        case ledger::State::sent:
            if (!flags.force) {
                // Skipped, unless follow-up steps of the record are still to be done.
                ItemReport report = report_of(candidate.id, ItemStatus::skipped);
                report.outcome.remote_id = entry.remote_id;
                return detail::finish_steps(target, ledger, key, candidate, std::move(report),
                                            unknown);
            }
            break;
        case ledger::State::review:
            if (!flags.force) {
                ItemReport report = report_of(candidate.id, ItemStatus::review);
                report.error = make_error(ErrorKind::temporary, entry.last_error);
                report.error.outcome_unknown = true;
                return report;
            }
            break;
        case ledger::State::failed:
            break;
        case ledger::State::pending: {
            auto holder = ledger.holder_status(entry.holder);
            if (!holder) {
                return failed(candidate.id, holder.error());
            }
            if (holder->state == ledger::HolderState::self) {
                return in_flight(candidate.id, "this run: the id was given twice");
            }
            if (holder->state == ledger::HolderState::alive) {
                // Judged by its lease alone, the holder may be dead: wait for its next
                // renewal, or take the row over once its lease has run out (cron must not
                // see "in flight" for a dead run's candidates).
                auto running = detail::holder_renews(ledger, entry.holder, *holder, unknown);
                if (!running) {
                    return failed(candidate.id, running.error());
                }
                if (*running) {
                    return in_flight(candidate.id, holder->where);
                }
                continue; // its lease ran out: read the row again and take it over
            }
            holder_seen_ms = holder->last_seen_ms;
            break;
        }
        }
        attempt.claimed_at(ledger::boottime_ms());
        auto claimed = ledger.claim(key, candidate.email, entry.version);
        if (!claimed) {
            return failed(candidate.id, claimed.error());
        }
        if (!*claimed) {
            continue; // another run got there first: look again
        }
        if (entry.state == ledger::State::pending) {
            return attempt.resolve_then_send(entry, holder_seen_ms, flags.force);
        }
        return with_earlier(attempt.send(), target, &ledger, key);
    }
    return failed(candidate.id,
                  make_error(ErrorKind::temporary,
                             "other pj-ats runs kept changing the ledger row of candidate "
                                 + candidate.id + "; re-run to send it"));
}


ItemReport dry_run_one(Target& target,
                       ledger::Ledger* ledger,
                       const model::Candidate& candidate,
                       const Placement& placement,
                       bool force) {
    if (ledger != nullptr && !force && !target.account().empty()) {
        const ledger::Key key{candidate.id, target.name(), target.destination(placement),
                              target.account()};
        auto previous = ledger->get(key);
        if (!previous) {
            return failed(candidate.id, previous.error());
        }
        if (previous->has_value() && (**previous).state == ledger::State::sent) {
            ItemReport report = report_of(candidate.id, ItemStatus::skipped);
            report.outcome.remote_id = (**previous).remote_id;
            return report;
        }
        if (previous->has_value() && (**previous).state == ledger::State::review) {
            ItemReport report = report_of(candidate.id, ItemStatus::review);
            report.error = make_error(ErrorKind::temporary, (**previous).last_error);
            report.error.outcome_unknown = true;
            return report;
        }
        return with_earlier(describe(target, candidate, placement), target, ledger, key);
    }
    return describe(target, candidate, placement);
}

} // namespace pjats::send
