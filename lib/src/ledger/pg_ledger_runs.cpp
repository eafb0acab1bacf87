// The PostgreSQL ledger's runs and leases (server clock), its sync lock, and what export
// and import read and write.

#include "ledger/pg_ledger.hpp"
#include "ledger/pg_sql.hpp"

#include <utility>

namespace pjats::ledger {
std::string process_start_time(std::int64_t pid); // run.cpp
} // namespace pjats::ledger

namespace pjats::ledger::detail {

Status PgLedger::begin_run(const RunIdentity& run_identity, const std::string& command) {
    m_run = run_identity;
    const std::int64_t renewing = boottime_ms();
    auto rows = run("INSERT INTO runs (run_id, host, pid, pid_start, command, started_at, "
                    "heartbeat_at) VALUES ($1::text, $2::text, $3::bigint, $4::text, $5::text, "
                    PJATS_PG_NOW_MS ", " PJATS_PG_NOW_MS ")",
                    {run_identity.run_id, run_identity.host, std::to_string(run_identity.pid),
                     run_identity.pid_start, command},
                    "write");
    if (!rows) {
        return std::move(rows).error();
    }
    note_renewal(run_identity.run_id, renewing);
    return {};
}

void PgLedger::use_run(const RunIdentity& run_identity) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_run = run_identity;
}

Status PgLedger::heartbeat() {
    const std::int64_t renewing = boottime_ms();
    auto rows = run("UPDATE runs SET heartbeat_at = " PJATS_PG_NOW_MS " WHERE run_id = $1::text",
                    {m_run.run_id}, "write");
    if (!rows) {
        return std::move(rows).error();
    }
    note_renewal(m_run.run_id, renewing);
    return {};
}

RunIdentity PgLedger::current_run() {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_run;
}

Result<bool> PgLedger::confirm_claim(const Key& key, const std::string& step) {
    if (step.empty()) {
        auto changed = write_keyed("UPDATE sends SET version = version + 1 WHERE " PJATS_PG_KEY
                                   " AND holder = $5::text AND state = 'pending'",
                                   key, {m_run.run_id});
        if (!changed) {
            return std::move(changed).error();
        }
        return *changed == 1;
    }
    auto changed = write_keyed("UPDATE send_steps SET version = version + 1 WHERE " PJATS_PG_KEY
                               " AND holder = $5::text AND state = 'pending' AND step = $6::text",
                               key, {m_run.run_id, step});
    if (!changed) {
        return std::move(changed).error();
    }
    return *changed == 1;
}

Status PgLedger::end_run() {
    auto ended = run("UPDATE runs SET ended = 1, heartbeat_at = " PJATS_PG_NOW_MS
                     " WHERE run_id = $1::text",
                     {m_run.run_id}, "write");
    if (!ended) {
        return std::move(ended).error();
    }
    // Ended runs older than a day are of no use to anyone: prune them here.
    auto pruned = run("DELETE FROM runs WHERE ended = 1 AND heartbeat_at < " PJATS_PG_NOW_MS
                      " - 86400000 AND run_id NOT IN "
                      "(SELECT holder FROM sends WHERE state = 'pending')",
                      {}, "write");
    if (!pruned) {
        return std::move(pruned).error();
    }
    return {};
}

Result<HolderStatus> PgLedger::holder_status(const std::string& holder) {
    HolderStatus status;
    if (holder.empty()) {
        return status;
    }
    if (holder == m_run.run_id) {
        status.state = HolderState::self;
        return status;
    }
    auto rows = run("SELECT host, pid, pid_start, heartbeat_at, ended, " PJATS_PG_NOW_MS
                    " FROM runs WHERE run_id = $1::text",
                    {holder}, "read");
    if (!rows) {
        return std::move(rows).error();
    }
    if (rows->size() == 0) {
        status.state = HolderState::gone;
        status.where = "a run no longer recorded";
        return status;
    }
    const std::string host = rows->text(0, 0);
    const std::int64_t pid = rows->integer(0, 1);
    const std::string pid_start = rows->text(0, 2);
    const std::int64_t age_ms = rows->integer(0, 5) - rows->integer(0, 3); // server clock
    const bool ended = rows->integer(0, 4) != 0;
    status.last_seen_ms = unix_ms() - age_ms;
    const RunIdentity& me = m_run.host.empty() ? this_process() : m_run;
    if (host == me.host) {
        status.where = "pid " + std::to_string(pid) + " on this machine";
        const bool running = !pid_start.empty() && process_start_time(pid) == pid_start;
        status.state = !ended && running ? HolderState::alive : HolderState::gone;
    } else {
        // Another machine, boot or pid namespace: its pid says nothing here, its lease does.
        status.where = "pid " + std::to_string(pid) + " on another machine or container";
        status.by_lease = true;
        status.state = !ended && age_ms < lease_ms() ? HolderState::alive : HolderState::gone;
    }
    return status;
}

Result<Ledger::Pairs> PgLedger::read_pairs(const char* sql) {
    auto rows = run(sql, {}, "read");
    if (!rows) {
        return std::move(rows).error();
    }
    Pairs pairs;
    for (int row = 0; row < rows->size(); ++row) {
        pairs.emplace_back(rows->text(row, 0), rows->text(row, 1));
    }
    return pairs;
}

Result<Ledger::Pairs> PgLedger::all_cursors() {
    return read_pairs("SELECT job_id, cursor FROM cursors ORDER BY job_id COLLATE \"C\"");
}

Result<Ledger::Pairs> PgLedger::all_meta() {
    return read_pairs("SELECT name, value FROM meta ORDER BY name COLLATE \"C\"");
}

Result<bool> PgLedger::insert_entry(const Entry& entry) {
    auto changed = write_keyed(R"sql(
INSERT INTO sends (account, candidate_id, target, destination, state, remote_id, lookup_hint,
                   last_error, temporary, attempts, created_at, updated_at, holder, version,
                   attempt_at, previous_remote_ids, credited_to)
VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text,
        $9::smallint, $10::integer, $11::bigint, $11::bigint, $12::text, $13::bigint,
        $14::bigint, $15::text, $16::text)
ON CONFLICT (account, candidate_id, target, destination) DO NOTHING
)sql",
                               entry.key,
                               {to_string(entry.state), entry.remote_id, entry.lookup_hint,
                                entry.last_error, entry.temporary ? "1" : "0",
                                std::to_string(entry.attempts), std::to_string(entry.updated_at),
                                entry.holder, std::to_string(entry.version),
                                std::to_string(entry.attempt_at_ms), entry.previous_remote_ids,
                                entry.credited_to});
    if (!changed) {
        return std::move(changed).error();
    }
    return *changed == 1;
}

Result<bool> PgLedger::try_sync_lock(const std::string& scope) {
    // A session lock: released when this connection closes, or when its machine dies and
    // the server drops the connection.
    auto rows = run("SELECT pg_try_advisory_lock(hashtextextended($1::text, 0))",
                    {"pj-ats sync " + scope}, "lock");
    if (!rows) {
        return std::move(rows).error();
    }
    const bool held = rows->integer(0, 0) == 1;
    if (held) {
        // A session lock dies with the connection: a reconnect takes it again (or fails).
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_conn->keep_session("SELECT pg_try_advisory_lock(hashtextextended($1::text, 0))",
                             {"pj-ats sync " + scope}, true);
    }
    return held;
}

} // namespace pjats::ledger::detail
