#pragma once

#include "ledger/sqlite_handles.hpp"

#include <pjats/ledger/ledger.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace pjats::ledger::detail {

class Statement; // statement.hpp

// One SQLite connection per ledger file and process, shared by every SqliteLedger of that
// file (the run's lease, each engine worker): one WAL file handle (SQLite syncs the
// directory on a handle's first sync, so one such sync per process), and one group commit
// for all of them. Every write commits at `synchronous = OFF`; a write that must survive a
// power cut then waits for sync_wal, which fsyncs the WAL once for every write committed
// so far — writes of other threads that committed meanwhile ride along. While durable
// writes come close together (bulk runs), the sync first waits a moment (k_gather in
// sqlite_ledger.cpp) so that more of them share it.
struct SharedConnection {
    SqliteDb db;
    std::mutex mutex;          // serializes every use of `db`
    std::mutex sync_mutex;     // one WAL sync at a time
    std::uint64_t written = 0; // durable writes committed (under mutex)
    std::uint64_t synced = 0;  // durable writes synced (under sync_mutex)
    int wal_pages = 0;         // frames in the WAL after the last commit (under mutex)
    // When the last durable write committed and on which thread, and whether it came soon
    // after one of another thread (workers in a bulk run: sync_wal then waits a moment to
    // gather more; a single send never waits) (under mutex).
    std::chrono::steady_clock::time_point last_durable{};
    std::thread::id last_thread{}; // whose durable write that was
    bool busy = false;
};

// Shares `db` (open, configured, migrated) as the connection of `identity` (the file's
// device and inode; "": not shared). Installs the WAL hook that replaces SQLite's
// automatic checkpoint (sync_wal checkpoints instead).
std::shared_ptr<SharedConnection> share(const std::string& identity, SqliteDb db);

// The shared connection of `identity` while one is open in this process; null otherwise.
std::shared_ptr<SharedConnection> find_shared(const std::string& identity);

// The Ledger over one open, migrated SQLite connection (see Ledger::open), shared with
// the other SqliteLedgers of the same file in this process. Each write is a single
// autocommit statement (or one transaction), hence atomic; claims, forget, cursor/meta and
// step plans/claims are synced (group commit) before they return. Calls are serialized by
// the connection's mutex, so sharing one object between threads is safe even though the
// interface does not promise it.
class SqliteLedger final : public Ledger {
  public:
    // Uses `connection`; `path` is used in error messages.
    SqliteLedger(std::shared_ptr<SharedConnection> connection, std::string path);

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
        synced,   // the log is fsynced (sync_wal): survives a power cut
        deferred, // in the log, synced by the next synced write or checkpoint
    };

    // After a write committed under m_mutex: its number for sync_wal (call under m_mutex).
    std::uint64_t committed();

    // Returns once the WAL is synced up to write `seq` (one fsync for every write committed
    // before it started); checkpoints when the WAL has grown. Not under m_mutex.
    Status sync_wal(std::uint64_t seq);

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

    std::shared_ptr<SharedConnection> m_connection;
    std::mutex& m_mutex; // m_connection->mutex
    SqliteDb& m_db;      // m_connection->db
    std::string m_path;
    RunIdentity m_run; // the run this connection acts for; run_id "" before begin/use_run
};

} // namespace pjats::ledger::detail
