// Giving up a follow-up step (pjats/send/skip_step.hpp).

#include <pjats/ledger/review.hpp>
#include <pjats/send/skip_step.hpp>

namespace pjats::send {

Result<SkippedStep> skip_step(ledger::Ledger& ledger, const ledger::Key& key,
                              const std::string& name, const std::string& reason) {
    auto entry = ledger.get(key);
    if (!entry) {
        return std::move(entry).error();
    }
    if (!entry->has_value()) {
        return make_error(ErrorKind::not_found,
                          "the ledger has no send of " + ledger::describe(key));
    }
    if ((**entry).state != ledger::State::sent) {
        return make_error(ErrorKind::usage,
                          ledger::describe(key) + " is " + ledger::to_string((**entry).state)
                              + ", not sent: its steps come after the create");
    }
    auto steps = ledger.steps(key);
    if (!steps) {
        return std::move(steps).error();
    }
    const ledger::Step* step = nullptr;
    for (const ledger::Step& item : *steps) {
        if (item.name == name) {
            step = &item;
        }
    }
    if (step == nullptr) {
        return make_error(ErrorKind::not_found,
                          ledger::describe(key) + " has no " + name + " step");
    }
    SkippedStep result;
    result.before = step->state;
    if (step->state == ledger::StepState::done) {
        result.already_done = true;
        return result;
    }
    if (step->state == ledger::StepState::pending) {
        auto holder = ledger.holder_status(step->holder);
        if (!holder) {
            return std::move(holder).error();
        }
        if (holder->state == ledger::HolderState::alive) {
            return make_error(ErrorKind::conflict, "the " + name + " step of "
                                                       + ledger::describe(key)
                                                       + " is being done by another pj-ats run ("
                                                       + holder->where + ")");
        }
    }
    auto claimed = ledger.claim_step(key, name, step->version);
    if (!claimed) {
        return std::move(claimed).error();
    }
    if (!*claimed) {
        return make_error(ErrorKind::conflict, "another pj-ats run took the " + name
                                                   + " step of " + ledger::describe(key));
    }
    PJATS_TRY(ledger.finish_step(key, name, ledger::StepState::done, "", reason));
    return result;
}

} // namespace pjats::send
