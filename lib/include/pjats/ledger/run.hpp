#pragma once

// A run's lease on the ledger: while a RunLease lives, its run is recorded as alive and
// its claims are respected by every other run (docs/ledger.md, "Claims").

#include <pjats/ledger/ledger.hpp>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace pjats::ledger {

class RunLease {
  public:
    // Records a new run of `command` through a connection of its own (from `open`) and
    // renews its heartbeat every k_heartbeat_ms on a background thread.
    static Result<std::unique_ptr<RunLease>> start(const LedgerOpener& open,
                                                   const std::string& command);

    // Marks the run ended (its pending rows become unknown outcomes for later runs).
    ~RunLease();
    RunLease(const RunLease&) = delete;
    RunLease& operator=(const RunLease&) = delete;

    const RunIdentity& identity() const { return m_run; }

    // Ledger::try_sync_lock on the lease's own connection: it heartbeats every few seconds,
    // so after a lost connection (a PostgreSQL restart) it reconnects and takes the lock
    // again within a heartbeat, not only when the run next uses some other connection.
    Result<bool> try_sync_lock(const std::string& scope) { return m_ledger->try_sync_lock(scope); }

  private:
    RunLease(std::unique_ptr<Ledger> ledger, RunIdentity run);
    void renew_until_stopped();

    std::unique_ptr<Ledger> m_ledger;
    RunIdentity m_run;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace pjats::ledger
