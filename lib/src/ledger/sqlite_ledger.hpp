#pragma once

#include "ledger/sqlite_handles.hpp"

#include <pjats/ledger/ledger.hpp>

#include <functional>
#include <mutex>
#include <string>

namespace pjats::ledger::detail {

class Statement; // statement.hpp

// The Ledger over one open, migrated SQLite connection (see Ledger::open). Each write is a
// single autocommit statement, hence its own transaction, durable on return under
// `synchronous=FULL`. Calls are serialized by a mutex, so sharing one object between
// threads is safe even though the interface does not promise it.
class SqliteLedger final : public Ledger {
  public:
    // Takes over `db`; `path` is used in error messages.
    SqliteLedger(SqliteDb db, std::string path);

    Result<std::string> lineage() override;
    Status begin_run(const RunIdentity& run, const std::string& command) override;
    void use_run(const RunIdentity& run) override;
    Status heartbeat() override;
    Status end_run() override;
    Result<HolderStatus> holder_status(const std::string& holder) override;

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

    // sqlite_transfer.cpp
    Result<Pairs> all_cursors() override;
    Result<Pairs> all_meta() override;
    Result<bool> insert_entry(const Entry& entry) override;
    Result<bool> try_sync_lock(const std::string& scope) override;

    // sqlite_tracking.cpp
    Status put_tracked(const Tracked& tracked) override;
    Result<std::vector<Tracked>> tracked() override;

  private:
    // How far a write reaches before it returns (see Ledger in ledger.hpp).
    enum class Durability {
        synced,   // the log is fsynced: survives a power cut
        deferred, // in the log, synced by the next synced write or checkpoint
    };

    // Runs an upsert/delete whose parameters ?1..?4 are the key (account, candidate,
    // target, destination); `bind_rest` binds the others. Returns the rows changed.
    template <typename BindRest>
    Result<int>
    write_keyed(const char* sql, const Key& key, Durability durability, BindRest bind_rest);

    // An outcome write fenced by this run's claim: a conflict error when no row changed.
    template <typename BindRest>
    Status write_outcome(const char* sql, const Key& key, BindRest bind_rest);

    // Runs one statement that is not fenced by a claim (runs table, adoption); `bind`
    // binds its parameters (sqlite_runs.cpp).
    Status write_run(const char* sql,
                     Durability durability,
                     const std::function<void(Statement&)>& bind);

    // Every (first column, second column) row of the constant query `sql`.
    Result<Pairs> read_pairs(const char* sql);

    // Looks up one text value by a text key (cursors, meta); "" when absent.
    Result<std::string> lookup_text(const char* sql, const std::string& name);

    Error read_error(int rc) const;
    Error write_error(int rc) const;

    std::mutex m_mutex;
    SqliteDb m_db;
    std::string m_path;
    RunIdentity m_run; // the run this connection acts for; run_id "" before begin/use_run
};

} // namespace pjats::ledger::detail
