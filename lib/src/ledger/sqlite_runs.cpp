// The runs table of the SQLite ledger: a run's identity and heartbeat, and whether the
// holder of a claim is still alive (same machine: its process; another: its lease).

#include "ledger/sqlite_ledger.hpp"
#include "ledger/statement.hpp"

#include <pjats/core/clock.hpp>

namespace pjats::ledger {
std::string process_start_time(std::int64_t pid); // run.cpp
} // namespace pjats::ledger

namespace pjats::ledger::detail {

Status SqliteLedger::write_run(const char* sql,
                               Durability durability,
                               const std::function<void(Statement&)>& bind) {
    std::uint64_t seq = 0;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        const DeferredSync deferred(m_db.get(), true);
        Statement stmt(m_db.get(), sql);
        bind(stmt);
        const int rc = stmt.run();
        if (rc != SQLITE_DONE) {
            return write_error(rc);
        }
        if (durability == Durability::synced) {
            seq = committed();
        }
    }
    return seq == 0 ? Status{} : sync_wal(seq);
}

Status SqliteLedger::begin_run(const RunIdentity& run, const std::string& command) {
    m_run = run;
    const std::int64_t renewing = boottime_ms();
    // Deferred: a run row lost to a power cut only makes its claims look gone, which later
    // runs resolve as unknown outcomes.
    PJATS_TRY(write_run(R"sql(
INSERT INTO runs (run_id, host, pid, pid_start, command, started_at, heartbeat_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
)sql",
                     Durability::deferred, [&](Statement& stmt) {
                         stmt.bind(1, run.run_id)
                             .bind(2, run.host)
                             .bind(3, run.pid)
                             .bind(4, run.pid_start)
                             .bind(5, command)
                             .bind(6, unix_ms());
                     }));
    note_renewal(run.run_id, renewing);
    return {};
}

void SqliteLedger::use_run(const RunIdentity& run) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_run = run;
}

Status SqliteLedger::heartbeat() {
    const std::int64_t renewing = boottime_ms();
    PJATS_TRY(write_run("UPDATE runs SET heartbeat_at = ?2 WHERE run_id = ?1",
                        Durability::deferred,
                        [&](Statement& stmt) { stmt.bind(1, m_run.run_id).bind(2, unix_ms()); }));
    note_renewal(m_run.run_id, renewing);
    return {};
}

RunIdentity SqliteLedger::current_run() {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_run;
}

Result<bool> SqliteLedger::confirm_claim(const Key& key, const std::string& step) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    const char* sql =
        step.empty()
            ? "UPDATE sends SET version = version + 1 WHERE account = ?1 AND candidate_id = ?2 "
              "AND target = ?3 AND destination = ?4 AND holder = ?5 AND state = 'pending'"
            : "UPDATE send_steps SET version = version + 1 WHERE account = ?1 AND "
              "candidate_id = ?2 AND target = ?3 AND destination = ?4 AND holder = ?5 AND "
              "state = 'pending' AND step = ?6";
    Statement stmt(m_db.get(), sql);
    stmt.bind(1, key.account).bind(2, key.candidate_id).bind(3, key.target).bind(4, key.destination);
    stmt.bind(5, m_run.run_id);
    if (!step.empty()) {
        stmt.bind(6, step);
    }
    if (const int rc = stmt.run(); rc != SQLITE_DONE) {
        return write_error(rc);
    }
    return sqlite3_changes(m_db.get()) == 1;
}

Status SqliteLedger::end_run() {
    // Ended runs older than a day are of no use to anyone: prune them here.
    PJATS_TRY(write_run("UPDATE runs SET ended = 1, heartbeat_at = ?2 WHERE run_id = ?1",
                        Durability::deferred,
                        [&](Statement& stmt) { stmt.bind(1, m_run.run_id).bind(2, unix_ms()); }));
    return write_run(
        "DELETE FROM runs WHERE ended = 1 AND heartbeat_at < ?1 AND run_id NOT IN "
        "(SELECT holder FROM sends WHERE state = 'pending')",
        Durability::deferred, [&](Statement& stmt) { stmt.bind(1, unix_ms() - 86'400'000); });
}

Result<HolderStatus> SqliteLedger::holder_status(const std::string& holder) {
    HolderStatus status;
    if (holder.empty()) {
        return status;
    }
    if (holder == m_run.run_id) {
        status.state = HolderState::self;
        return status;
    }
    std::string host;
    std::int64_t pid = 0;
    std::string pid_start;
    bool ended = true;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        Statement stmt(m_db.get(),
                       "SELECT host, pid, pid_start, heartbeat_at, ended FROM runs WHERE run_id = ?1");
        stmt.bind(1, holder);
        const int rc = stmt.step();
        if (rc == SQLITE_DONE) {
            status.state = HolderState::gone;
            status.where = "a run no longer recorded";
            return status;
        }
        if (rc != SQLITE_ROW) {
            return read_error(rc);
        }
        host = stmt.text(0);
        pid = stmt.integer(1);
        pid_start = stmt.text(2);
        status.last_seen_ms = stmt.integer(3);
        ended = stmt.integer(4) != 0;
    }
    const RunIdentity& me = m_run.host.empty() ? this_process() : m_run;
    if (host == me.host) {
        status.where = "pid " + std::to_string(pid) + " on this machine";
        const bool running = !pid_start.empty() && process_start_time(pid) == pid_start;
        status.state = !ended && running ? HolderState::alive : HolderState::gone;
    } else {
        // Another machine, boot or pid namespace: its pid says nothing here, its lease does.
        status.where = "pid " + std::to_string(pid) + " on another machine or container";
        status.by_lease = true;
        const bool leased = status.last_seen_ms + lease_ms() > unix_ms();
        status.state = !ended && leased ? HolderState::alive : HolderState::gone;
    }
    return status;
}

} // namespace pjats::ledger::detail
