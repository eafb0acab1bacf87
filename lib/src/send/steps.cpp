// Follow-up steps of a send, each done once (docs/ledger.md, "Steps").

#include "send/steps.hpp"

#include <pjats/http/send_guard.hpp>

#include <algorithm>
#include <thread>

namespace pjats::send::detail {

namespace {

std::int64_t now_of(const UnknownOutcomePolicy& policy) {
    if (policy.now_ms) {
        return policy.now_ms();
    }
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void pause(const UnknownOutcomePolicy& policy, std::chrono::milliseconds delay) {
    if (policy.sleep) {
        policy.sleep(delay);
    } else {
        std::this_thread::sleep_for(delay);
    }
}

std::string label(const std::string& step) {
    if (step == "note") {
        return "the note";
    }
    if (step == "file") {
        return "the résumé file";
    }
    return "step " + step;
}

// What a step did: nothing yet to say (ok), or an error, possibly "another run holds it".
struct StepResult {
    bool ok = false;
    bool in_flight = false;
    Error error;
};

class StepRunner {
  public:
    StepRunner(Target& target, ledger::Ledger& ledger, const ledger::Key& key,
               const model::Candidate& candidate, const std::string& remote_id,
               const UnknownOutcomePolicy& unknown)
        : m_target(target),
          m_ledger(ledger),
          m_key(key),
          m_candidate(candidate),
          m_remote_id(remote_id),
          m_unknown(unknown) {}

    StepResult run(const ledger::Step& step) {
        bool resolve = false;
        std::int64_t since = 0;
        if (step.state == ledger::StepState::pending) {
            auto holder = m_ledger.holder_status(step.holder);
            if (!holder) {
                return fail(std::move(holder).error());
            }
            if (holder->state == ledger::HolderState::self) {
                return busy("this run: the id was given twice");
            }
            if (holder->state == ledger::HolderState::alive) {
                auto running = holder_renews(m_ledger, step.holder, *holder, m_unknown);
                if (!running) {
                    return fail(std::move(running).error());
                }
                if (*running) {
                    return busy(holder->where);
                }
                // Its lease ran out while we waited: the run is gone.
                auto now_seen = m_ledger.holder_status(step.holder);
                if (!now_seen) {
                    return fail(std::move(now_seen).error());
                }
                if (now_seen->state == ledger::HolderState::alive) {
                    return busy(now_seen->where); // it woke and renewed just now
                }
                holder = std::move(now_seen);
            }
            // The dead run's request may have left until its last sign of life.
            resolve = true;
            since = std::max(holder->last_seen_ms + ledger::heartbeat_ms(), step.attempt_at_ms);
        }
        const std::int64_t claimed_at = ledger::boottime_ms();
        auto claimed = m_ledger.claim_step(m_key, step.name, step.version);
        if (!claimed) {
            return fail(std::move(claimed).error());
        }
        if (!*claimed) {
            return busy("another pj-ats run");
        }
        if (resolve) {
            auto found = look_up_until(step.name, since + m_unknown.quiet_ms());
            if (!found) {
                return unresolved(step.name, std::move(found).error());
            }
            if (found->has_value()) {
                return finish(step.name, **found);
            }
        }
        return attempt(step.name, claimed_at);
    }

  private:
    StepResult attempt(const std::string& name, std::int64_t claimed_at) {
        auto held = hold_claim(m_ledger, m_key, name, claimed_at);
        if (!held) {
            return fail(std::move(held).error());
        }
        if (!*held) {
            StepResult result;
            result.in_flight = true;
            result.error = claim_lost();
            return result;
        }
        bool lost = false;
        auto made = [&] {
            const http::SendGuardScope fenced([&] {
                return fence(m_ledger, m_key, name, claimed_at, lost);
            });
            return m_target.do_step(name, m_remote_id, m_candidate);
        }();
        if (lost) {
            StepResult result;
            result.in_flight = true;
            result.error = claim_lost();
            return result;
        }
        if (!made && made.error().outcome_unknown) {
            // No answer: the server may still be at it, so look over the whole window;
            // an answer (even a broken one) means it has finished: one look. Never done
            // again by this run: not found, the step stays pending for a later run.
            const std::int64_t window =
                made.error().http_status == 0 ? m_unknown.window.count() : 0;
            auto found = look_up_until(name, now_of(m_unknown) + window);
            if (found && found->has_value()) {
                return finish(name, **found);
            }
        }
        if (made) {
            return finish(name, *made);
        }
        Error error = std::move(made).error();
        if (error.outcome_unknown) {
            return unresolved(name, std::move(error));
        }
        (void)m_ledger.finish_step(m_key, name, ledger::StepState::failed, "", error.message);
        return fail(std::move(error));
    }

    Result<std::optional<std::string>> look_up_until(const std::string& name,
                                                     std::int64_t deadline_ms) {
        for (;;) {
            const std::int64_t started = now_of(m_unknown);
            auto found = m_target.find_step(name, m_remote_id, m_candidate);
            if (!found || found->has_value()) {
                return found;
            }
            if (started >= deadline_ms) { // a lookup that began after the deadline
                return std::optional<std::string>();
            }
            const std::int64_t left = deadline_ms - now_of(m_unknown);
            if (left > 0) {
                pause(m_unknown,
                      std::min(m_unknown.poll_interval, std::chrono::milliseconds(left)));
            }
        }
    }

    StepResult finish(const std::string& name, const std::string& id) {
        if (auto marked = m_ledger.finish_step(m_key, name, ledger::StepState::done, id, "");
            !marked) {
            Error error = marked.error();
            error.message = "done (" + id + ") but the ledger could not record it: "
                            + error.message;
            return fail(std::move(error));
        }
        StepResult result;
        result.ok = true;
        return result;
    }

    // The step stays pending under this run; once the run has ended, the next run looks it
    // up before doing it.
    StepResult unresolved(const std::string& name, Error error) {
        error.outcome_unknown = true;
        (void)m_ledger.finish_step(m_key, name, ledger::StepState::pending, "", error.message);
        return fail(std::move(error));
    }

    static StepResult fail(Error error) {
        StepResult result;
        result.error = std::move(error);
        return result;
    }

    static StepResult busy(const std::string& where) {
        StepResult result;
        result.in_flight = true;
        result.error = make_error(ErrorKind::temporary,
                                  "being finished by " + where + "; that run records the outcome");
        return result;
    }

    Target& m_target;
    ledger::Ledger& m_ledger;
    const ledger::Key& m_key;
    const model::Candidate& m_candidate;
    const std::string& m_remote_id;
    const UnknownOutcomePolicy& m_unknown;
};

// The target's order of steps ("note" before "file"); unknown names last.
void order_steps(std::vector<ledger::Step>& steps, const std::vector<std::string>& order) {
    const auto rank = [&order](const ledger::Step& step) {
        return std::find(order.begin(), order.end(), step.name) - order.begin();
    };
    std::stable_sort(steps.begin(), steps.end(),
                     [&](const ledger::Step& a, const ledger::Step& b) { return rank(a) < rank(b); });
}

} // namespace

Result<bool> hold_claim(ledger::Ledger& ledger, const ledger::Key& key, const std::string& step,
                        std::int64_t claimed_boottime) {
    const std::string run_id = ledger.current_run().run_id;
    if (ledger::lease_held_since(run_id, claimed_boottime)) {
        return true;
    }
    PJATS_TRY(ledger.heartbeat()); // others see this run alive again from here on
    return ledger.confirm_claim(key, step);
}

Result<bool> holder_renews(ledger::Ledger& ledger, const std::string& holder,
                           ledger::HolderStatus status, const UnknownOutcomePolicy& policy) {
    const std::int64_t first_seen = status.last_seen_ms;
    // At most a lease and a heartbeat on the policy's clock (tests advance it by sleeping).
    const std::int64_t give_up = now_of(policy) + ledger::lease_ms() + ledger::heartbeat_ms();
    const auto step = std::chrono::milliseconds(std::max<std::int64_t>(ledger::heartbeat_ms() / 5, 50));
    while (status.state == ledger::HolderState::alive && status.by_lease) {
        if (status.last_seen_ms > first_seen + ledger::heartbeat_ms() / 2) {
            return true; // renewed since first seen: running
        }
        if (now_of(policy) >= give_up) {
            return true;
        }
        pause(policy, std::min(step, policy.poll_interval));
        auto again = ledger.holder_status(holder);
        if (!again) {
            return std::move(again).error();
        }
        status = *again;
    }
    return status.state == ledger::HolderState::alive;
}

Status fence(ledger::Ledger& ledger, const ledger::Key& key, const std::string& step,
             std::int64_t claimed_boottime, bool& lost) {
    auto held = hold_claim(ledger, key, step, claimed_boottime);
    if (!held) {
        return std::move(held).error();
    }
    if (!*held) {
        lost = true;
        Error error = claim_lost();
        error.kind = ErrorKind::conflict;
        return error;
    }
    return {};
}

Error claim_lost() {
    return make_error(ErrorKind::temporary,
                      "this run was stopped or suspended past its lease and another run took "
                      "the send over; that run records the outcome");
}

Status plan_steps(Target& target, ledger::Ledger& ledger, const ledger::Key& key,
                  const model::Candidate& candidate) {
    const std::vector<std::string> names = target.steps_for(candidate);
    if (names.empty()) {
        return {};
    }
    return ledger.plan_steps(key, names);
}

ItemReport finish_steps(Target& target, ledger::Ledger& ledger, const ledger::Key& key,
                        const model::Candidate& candidate, ItemReport base,
                        const UnknownOutcomePolicy& unknown) {
    auto steps = ledger.steps(key);
    if (!steps) {
        base.status = ItemStatus::failed;
        base.error = std::move(steps).error();
        return base;
    }
    order_steps(*steps, target.steps_for(candidate));
    const std::string remote_id = base.outcome.remote_id;
    StepRunner runner(target, ledger, key, candidate, remote_id, unknown);
    for (const ledger::Step& step : *steps) {
        if (step.state == ledger::StepState::done) {
            continue;
        }
        StepResult result = runner.run(step);
        if (result.ok) {
            base.steps.push_back(step.name);
            continue;
        }
        base.status = result.in_flight ? ItemStatus::in_flight : ItemStatus::failed;
        base.error = std::move(result.error);
        base.error.message = "sent as " + remote_id + ", but " + label(step.name)
                             + (result.in_flight ? " is " : " could not be added: ")
                             + base.error.message
                             + (result.in_flight ? ""
                                                 : "; re-run the same command to finish it (only "
                                                   "the missing steps are done)");
        return base;
    }
    if (base.status == ItemStatus::skipped && !base.steps.empty()) {
        base.status = ItemStatus::sent;
    }
    return base;
}

} // namespace pjats::send::detail
