#pragma once

// The one rule turning a run's outcomes into its exit code, shared by `send` and `sync`.

#include <pjats/core/error.hpp>
#include <pjats/send/sender.hpp>

#include <cstdint>
#include <optional>

namespace pjats::send {

struct TallyCounts {
    std::int64_t sent = 0;      // created now, or found after an unknown outcome
    std::int64_t skipped = 0;   // the ledger says sent already
    std::int64_t failed = 0;    // not sent (of which `retryable` come back on a re-run)
    std::int64_t retryable = 0; // failed for a reason a later run may not meet again
    std::int64_t review = 0;    // unknown outcome a human must check
    std::int64_t dry_run = 0;
    std::int64_t in_flight = 0; // held by another live run, which reports it
    std::int64_t other_failures = 0; // not an item: an unreadable source entry, a posting

    std::int64_t items() const { return sent + skipped + failed + review + dry_run + in_flight; }
};

// Whether a failed send is worth retrying automatically: everything except a refusal of
// the record itself (validation) or of the id (not found), unless the outcome is unknown.
bool is_retryable(const Error& error);

// Counts a run's reports. Exit code, in this order: the error that stopped the run (an
// authentication or configuration failure) → its code; interrupted → 130; no failure → 0
// (an in-flight item is the other run's to report); something sent or skipped besides
// failures → 3 (partial); otherwise the failures' common code, 1 when they differ.
class Tally {
  public:
    void add(const ItemReport& report);
    // A failure that is not an item (a source listing or publishing error).
    void add_failure(const Error& error);
    void stop(const Error& error);
    void interrupt() { m_interrupted = true; }

    const TallyCounts& counts() const { return m_counts; }
    const std::optional<Error>& stopped_by() const { return m_stopped_by; }
    bool interrupted() const { return m_interrupted; }
    int exit_code() const;

  private:
    void remember(const Error& error);

    TallyCounts m_counts;
    std::optional<int> m_failure_code; // common code of the failures; 1 once they differ
    std::optional<Error> m_stopped_by;
    bool m_interrupted = false;
};

} // namespace pjats::send
