#pragma once

#include "ledger/pg_conn.hpp"

#include <pjats/ledger/ledger.hpp>

#include <memory>
#include <mutex>
#include <string>

namespace pjats::ledger::detail {

// The Ledger over one PostgreSQL connection whose schema is migrated (open_location).
// Same statements and semantics as SqliteLedger: each write is one autocommit statement
// (durable on return: PostgreSQL commits synchronously), claims compare-and-swap on
// `version`, outcomes are fenced by `holder`. Times of runs and claims are the database
// server's clock, so clock skew between machines does not shorten or stretch a lease;
// they are handed out converted to this machine's clock. Calls are serialized by a mutex.
class PgLedger final : public Ledger {
  public:
    explicit PgLedger(std::unique_ptr<PgConn> conn);

    Result<std::string> lineage() override;
    Status begin_run(const RunIdentity& run, const std::string& command) override;
    void use_run(const RunIdentity& run) override;
    Status heartbeat() override;
    Status end_run() override;
    Result<HolderStatus> holder_status(const std::string& holder) override;
    RunIdentity current_run() override;                                           // *_runs.cpp
    Result<bool> confirm_claim(const Key& key, const std::string& step) override; // *_runs.cpp

    Result<std::optional<Entry>> get(const Key& key) override;
    Result<bool> claim(const Key& key, const std::string& email,
                       std::int64_t expected_version) override;
    Status mark_pending(const Key& key, const std::string& lookup_hint) override;
    Status mark_sent(const Key& key, const std::string& remote_id) override;
    Status mark_failed(const Key& key, const std::string& error, bool temporary) override;
    Status mark_review(const Key& key, const std::string& error) override;
    Status note_unresolved(const Key& key, const std::string& error) override;
    Status forget(const Key& key) override;
    Status record_credit(const Key& key, const std::string& credited_to) override; // *_credit.cpp

    // sqlite_steps.cpp / pg_steps.cpp
    Status plan_steps(const Key& key, const std::vector<std::string>& names) override;
    Result<std::vector<Step>> steps(const Key& key) override;
    Result<bool> claim_step(const Key& key, const std::string& name,
                            std::int64_t expected_version) override;
    Status finish_step(const Key& key, const std::string& name, StepState state,
                       const std::string& remote_id, const std::string& error) override;
    Result<std::vector<KeyedStep>> open_steps() override;
    Result<std::vector<KeyedStep>> all_steps() override;
    Result<bool> insert_step(const KeyedStep& step) override;
    Status adopt_unkeyed(const std::string& target, const std::string& account) override;
    Status rekey_account(const std::string& target, const std::string& from,
                         const std::string& to) override;

    Result<Counts> counts() override;
    Result<std::vector<Entry>> list(std::optional<State> state) override;

    Result<std::string> cursor(const std::string& job_id) override;
    Status set_cursor(const std::string& job_id, const std::string& cursor) override;
    Result<std::string> meta(const std::string& name) override;
    Status set_meta(const std::string& name, const std::string& value) override;
    Result<bool> add_meta(const std::string& name, const std::string& value) override;
    Result<std::int64_t> bump_serial() override;

    Result<Pairs> all_cursors() override;
    Result<Pairs> all_meta() override;
    Result<bool> insert_entry(const Entry& entry) override;
    Result<bool> try_sync_lock(const std::string& scope) override;

    // pg_tracking.cpp
    Status put_tracked(const Tracked& tracked) override;
    Result<std::vector<Tracked>> tracked() override;

  private:
    // Runs `sql` with `params` under the mutex.
    Result<PgRows> run(const std::string& sql, const std::vector<std::string>& params,
                       const char* what);
    // A keyed write: $1..$4 are the key, `rest` follows. Returns the rows changed.
    Result<int> write_keyed(const std::string& sql, const Key& key, std::vector<std::string> rest);
    // An outcome fenced by this run's claim ($5 holder, then `rest` from $6): a conflict
    // error when no row changed.
    Status write_outcome(const char* sql, const Key& key, std::vector<std::string> rest);
    Result<std::vector<Entry>> read_entries(const std::string& where,
                                            const std::vector<std::string>& params);
    Result<Pairs> read_pairs(const char* sql);
    Result<std::string> lookup_text(const char* sql, const std::string& name);

    std::mutex m_mutex;
    std::unique_ptr<PgConn> m_conn;
    RunIdentity m_run;
};

} // namespace pjats::ledger::detail
