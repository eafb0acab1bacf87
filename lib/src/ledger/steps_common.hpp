#pragma once

// Shared by sqlite_steps.cpp and pg_steps.cpp. Private.

#include <pjats/ledger/ledger.hpp>

#include <string>

namespace pjats::ledger::detail {

inline StepState step_state_from(const std::string& text) {
    if (text == "pending") {
        return StepState::pending;
    }
    if (text == "done") {
        return StepState::done;
    }
    if (text == "failed") {
        return StepState::failed;
    }
    return StepState::todo;
}

// The columns both backends select, in this order, after the key columns.
#define PJATS_STEP_COLUMNS "step, state, remote_id, holder, version, attempt_at, last_error"

inline Error step_conflict(const Key& key, const std::string& name) {
    return make_error(ErrorKind::conflict,
                      "the " + name + " step of candidate " + key.candidate_id
                          + " was taken over by another run before this run recorded its "
                            "outcome");
}

} // namespace pjats::ledger::detail
