#pragma once

#include <pjats/core/result.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pjats::ledger {

enum class State { pending, sent, failed, review };

const char* to_string(State state);
// "pending" | "sent" | "failed" | "review" → State; nullopt for anything else.
std::optional<State> state_from_text(const std::string& text);

// The key of one send: a candidate, a target system, where in it (Greenhouse job id,
// Lever posting id, or empty for a prospect / plain opportunity), and the account it goes
// to (Target::account(): base URL and the account's identity, never a secret). Rows of
// different accounts never see each other.
struct Key {
    Key() = default;
    Key(std::string candidate, std::string target_name, std::string where,
        std::string account_key = {})
        : candidate_id(std::move(candidate)),
          target(std::move(target_name)),
          destination(std::move(where)),
          account(std::move(account_key)) {}

    std::string candidate_id;
    std::string target;       // "greenhouse" or "lever"
    std::string destination;  // "" or "job:4690" / "posting:<id>"
    std::string account;      // "" only for rows written before accounts were recorded
};

struct Entry {
    Key key;
    State state = State::pending;
    std::string remote_id;    // Greenhouse candidate id / Lever opportunity id when sent
    std::string lookup_hint;  // what finds the remote record again (Lever: every e-mail the
                              // record had when a send was claimed, space-separated)
    std::string last_error;   // redacted, human readable
    bool temporary = false;   // the last error is worth retrying automatically
    int attempts = 0;
    std::int64_t updated_at = 0;  // unix seconds
    std::string holder;           // run id of the run that claimed the last attempt
    std::int64_t version = 0;     // bumped by every claim; claims compare-and-swap on it
    std::int64_t attempt_at_ms = 0;          // unix ms when the last attempt was claimed
    std::string previous_remote_ids;         // earlier successes replaced by a forced re-send
    std::string credited_to; // who the (last) send was credited to: an e-mail, or "user:<id>"
};

// A follow-up step of a send, done once after the record was created (Lever: the card's
// note, the résumé file). docs/ledger.md, "Steps".
enum class StepState {
    todo,    // planned, never started: do it
    pending, // claimed by `holder`; if that run is gone, its outcome is unknown: look it up
    done,    // done; `remote_id` is what it created
    failed,  // definitely not done (an error answer, a résumé that could not be fetched)
};

const char* to_string(StepState state);

struct Step {
    std::string name;             // "note", "file"
    StepState state = StepState::todo;
    std::string remote_id;        // the note / file id when done
    std::string holder;           // run id of the run that claimed the last attempt
    std::int64_t version = 0;     // bumped by every claim; claims compare-and-swap on it
    std::int64_t attempt_at_ms = 0;
    std::string last_error;       // redacted
};

struct KeyedStep {
    Key key;
    Step step;
};

struct Counts {
    std::int64_t pending = 0;
    std::int64_t sent = 0;
    std::int64_t failed = 0;
    std::int64_t review = 0;
};

// What `track` last saw of one sent row in its ATS (table `tracking`, keyed like sends).
// Never holds PII: states, stage and job names, the ATS's own link, times.
struct Tracked {
    Key key;
    std::string remote_id;           // the id asked about
    std::string state;               // active, hired, rejected, archived, lost
    std::string stage;               // as a person reads it
    std::string job;                 // Greenhouse job name / Lever posting id
    std::string link;                // the ATS page of the candidate
    std::int64_t state_since = 0;    // unix seconds: when this state was first seen
    std::int64_t hired_seen_at = 0;  // unix seconds: when `hired` was first seen, 0 never
    std::int64_t hired_at = 0;       // unix seconds: the ATS's hire date (Lever archivedAt), 0 none
    std::int64_t checked_at = 0;     // unix seconds: the last answer
};

// Who a pending row belongs to (see docs/ledger.md, "Claims").
enum class HolderState {
    none,  // no holder recorded
    self,  // this run
    alive, // another run that is still running (same machine: its process exists; another
           // machine: its lease was renewed recently)
    gone,  // the run ended, its process died, or its lease expired: an unknown outcome
};

struct HolderStatus {
    HolderState state = HolderState::none;
    std::int64_t last_seen_ms = 0; // the holder's last heartbeat (unix ms), 0 when unknown
    std::string where;             // e.g. "pid 4242 on this machine", for messages
    bool by_lease = false;         // judged by its lease alone (another machine, boot or pid
                                   // namespace), not by its process
};

// A run's identity: one per pj-ats command that writes the ledger.
struct RunIdentity {
    std::string run_id;    // random, 128 bits in hex
    std::string host;      // where its pid means something: this boot of this machine and
                           // its pid namespace ("<boot_id>/pidns:<inode>"), else the host
                           // name; only a holder with the same `host` is judged by its pid
    std::int64_t pid = 0;
    std::string pid_start; // the process start time, so a reused pid is not taken for it
};

// A new identity for this process.
RunIdentity this_process();

// How long another machine's claim stays alive without a heartbeat, and how often a run
// renews its own.
inline constexpr std::int64_t k_lease_ms = 30'000;
inline constexpr std::int64_t k_heartbeat_ms = 5'000;

// The lease and heartbeat in force: k_lease_ms and k_heartbeat_ms, unless the test knob
// PJ_ATS_TEST_LEASE_MS (docs/ledger.md) sets a shorter lease (heartbeat: a sixth of it).
std::int64_t lease_ms();
std::int64_t heartbeat_ms();

// Fencing (docs/ledger.md, "Fenced requests"), on CLOCK_BOOTTIME, which keeps counting
// while the process is stopped or the machine suspended. note_renewal records that the
// lease of `run_id` was renewed at `boottime` (taken before a successful begin_run or
// heartbeat); a renewal more than a third of the lease after the previous one starts a new
// chain. lease_held_since: the lease was renewed within a third of it and without such a
// gap since `boottime` (e.g. when a claim was made) — else the run must re-confirm its
// claim in the ledger before a request (Ledger::confirm_claim).
void note_renewal(const std::string& run_id, std::int64_t boottime);
bool lease_held_since(const std::string& run_id, std::int64_t boottime);
std::int64_t boottime_ms();

// $XDG_STATE_HOME/pj-ats/<profile>.db, else ~/.local/state/pj-ats/<profile>.db.
std::string default_path(const std::string& profile);

// Where a profile's ledger lives: a SQLite file (the default) or a PostgreSQL database
// shared by several machines (docs/ledger.md, "Backends").
struct Location {
    std::string path; // the SQLite file, when url is empty
    std::string url;  // postgresql://USER@HOST[:PORT]/DB[?…]; never holds a password
    bool from_env = false; // url came from PJ_ATS_LEDGER_URL rather than the profile

    bool postgres() const { return !url.empty(); }

    // For messages and status: the path or the URL (which holds no secret).
    const std::string& describe() const { return postgres() ? url : path; }
};

// PJ_ATS_LEDGER_URL when set, else `profile_url` (the profile's ledger_url) when set, else
// the SQLite file default_path(profile).
Location location_for(const std::string& profile, const std::string& profile_url);

// A config error unless `url` is a postgresql:// (or postgres://) URL without a password:
// passwords come from libpq's own files (~/.pgpass, PGPASSFILE, PGSERVICE), never from
// the URL, which is stored in the profile and shown by status.
Status check_postgres_url(const std::string& url);

struct OpenOptions {
    // The lineage the profile remembers for its ledger ("" when it never used one). When
    // set, a missing, empty or different ledger is refused (config error) rather than
    // silently started anew.
    std::string expected_lineage;
};

// The SQLite send ledger (WAL mode, versioned schema migrated on open). Every write is
// its own transaction and survives a crash of the process when it returns; claims,
// forget and cursor/meta writes also survive a power cut (synced in groups with the
// writes of other threads), while an outcome (mark_sent, mark_failed, mark_review) does
// once the next such write syncs the log — losing one to a power cut only leaves the row
// pending with a dead holder, which a re-run resolves without a duplicate. The Ledgers of
// one file in one process share a connection (docs/ledger.md). The last connection to
// close checkpoints, so the .db file alone holds every row after a run. Safe to use from several processes; a single Ledger object
// is not shared between threads.
//
// Claims: a send belongs to one live run at a time. claim() moves a row to `pending` and
// records this connection's run as its holder, as a compare-and-swap on `version`; the
// outcome writes only succeed while this run still holds the row.
class Ledger {
  public:
    // Opens or creates the database (and its directory, 0700).
    static Result<std::unique_ptr<Ledger>> open(const std::string& path,
                                                const OpenOptions& options = {});
    virtual ~Ledger() = default;

    // The ledger's identity, created with it (meta "lineage").
    virtual Result<std::string> lineage() = 0;

    // Runs. begin_run records `run` (its machine, process and first heartbeat) and makes
    // this connection act for it; use_run makes another connection act for a run that
    // began elsewhere in the process; heartbeat renews the lease; end_run marks it ended.
    virtual Status begin_run(const RunIdentity& run, const std::string& command) = 0;
    virtual void use_run(const RunIdentity& run) = 0;
    virtual Status heartbeat() = 0;
    virtual Status end_run() = 0;
    virtual Result<HolderStatus> holder_status(const std::string& holder) = 0;
    // The run this connection acts for (empty before begin_run/use_run).
    virtual RunIdentity current_run() = 0;

    // Re-confirms, right before a request, that this run still holds its claim of `key`
    // (of its step `step` when not empty): bumps the row's version while it is pending
    // with this run as holder, so a run that judged this one gone on an older read cannot
    // take it over afterwards. false: another run holds it now — send nothing.
    virtual Result<bool> confirm_claim(const Key& key, const std::string& step) = 0;

    virtual Result<std::optional<Entry>> get(const Key& key) = 0;

    // Claims the send for this run if the row is still at `expected_version` (0: the row
    // must not exist yet). true: claimed (state pending, attempts + 1, `email` added to
    // the lookup hint, durable before it returns); false: another run changed the row
    // first — read it again.
    virtual Result<bool> claim(const Key& key, const std::string& email,
                               std::int64_t expected_version) = 0;
    // Claims unconditionally (tests and tools).
    virtual Status mark_pending(const Key& key, const std::string& lookup_hint) = 0;

    // Outcomes of this run's claim. A conflict error when another run took the row over.
    // mark_sent keeps a replaced remote id in previous_remote_ids. mark_failed on a row that
    // has a remote id (a forced re-send of a sent row) puts it back to `sent` with the error.
    virtual Status mark_sent(const Key& key, const std::string& remote_id) = 0;
    virtual Status mark_failed(const Key& key, const std::string& error, bool temporary) = 0;
    // An unknown outcome that needs a human (Greenhouse cannot be searched).
    virtual Status mark_review(const Key& key, const std::string& error) = 0;
    // The row stays pending (its outcome is still unknown; a later run looks it up) with
    // `error` recorded as the reason, for status.
    virtual Status note_unresolved(const Key& key, const std::string& error) = 0;
    virtual Status forget(const Key& key) = 0;
    // Records who this run's claimed send is credited to (before the create leaves); a
    // conflict error when another run holds the row.
    virtual Status record_credit(const Key& key, const std::string& credited_to) = 0;

    // Follow-up steps (sqlite_steps.cpp, pg_steps.cpp). plan_steps makes `names` the steps
    // of `key`, each `todo` (earlier steps of the key are dropped: they belonged to an
    // earlier record); called under this run's claim of the row, before the create.
    virtual Status plan_steps(const Key& key, const std::vector<std::string>& names) = 0;
    // The steps of `key`, by name.
    virtual Result<std::vector<Step>> steps(const Key& key) = 0;
    // Claims a step for this run if it is still at `expected_version`: true when claimed
    // (state pending, this run its holder, durable before it returns).
    virtual Result<bool> claim_step(const Key& key, const std::string& name,
                                    std::int64_t expected_version) = 0;
    // The outcome of this run's claim of a step: done (with the remote id), failed (with the
    // error, redacted), or pending with the error noted (still unknown). A conflict error
    // when another run took the step over.
    virtual Status finish_step(const Key& key, const std::string& name, StepState state,
                               const std::string& remote_id, const std::string& error) = 0;
    // Every step not done of every `sent` row (ledger list, sync): the steps a later run
    // still has to do. Steps of a row whose create failed or is pending are not listed.
    virtual Result<std::vector<KeyedStep>> open_steps() = 0;
    // Every step of every row, in key order (export).
    virtual Result<std::vector<KeyedStep>> all_steps() = 0;
    // Writes `step` as it is unless the key already has a step of that name: true when
    // written (import).
    virtual Result<bool> insert_step(const KeyedStep& step) = 0;

    // Rows written before accounts were recorded (account "") for `target` become rows of
    // `account`, once; rows that would collide stay as they are.
    virtual Status adopt_unkeyed(const std::string& target, const std::string& account) = 0;
    // Rows of `target` keyed by account `from` (sends, their steps and tracking, and the
    // sync cursors "<from>|…") become rows of `to`; rows that would collide stay as they
    // are. Idempotent (send/account.cpp moves per-user keys to the organization's).
    virtual Status rekey_account(const std::string& target, const std::string& from,
                                 const std::string& to) = 0;

    virtual Result<Counts> counts() = 0;
    virtual Result<std::vector<Entry>> list(std::optional<State> state) = 0;

    // Sync cursors per linked Purpose Jobs job.
    virtual Result<std::string> cursor(const std::string& job_id) = 0;
    virtual Status set_cursor(const std::string& job_id, const std::string& cursor) = 0;

    // Free-form metadata (e.g. "last_sync" timestamp).
    virtual Result<std::string> meta(const std::string& name) = 0;
    virtual Status set_meta(const std::string& name, const std::string& value) = 0;
    // Writes the entry only if `name` has none yet, atomically across every connection:
    // true when written, false when another value was there (it is kept).
    virtual Result<bool> add_meta(const std::string& name, const std::string& value) = 0;
    // Counts one more run that writes this ledger (meta "serial", atomically): the new
    // serial (generation.hpp).
    virtual Result<std::int64_t> bump_serial() = 0;

    // Every cursor (job id, cursor) and every metadata entry (name, value), for export.
    using Pairs = std::vector<std::pair<std::string, std::string>>;
    virtual Result<Pairs> all_cursors() = 0;
    virtual Result<Pairs> all_meta() = 0;

    // Writes `entry` as it is (state, remote id, holder, version, attempts…) unless a row
    // with its key exists, which is left alone: true when written (import).
    virtual Result<bool> insert_entry(const Entry& entry) = 0;

    // tracking (sqlite_tracking.cpp, pg_tracking.cpp): what `track` saw, one row per key,
    // replaced as a whole by put_tracked; every row, in key order.
    virtual Status put_tracked(const Tracked& tracked) = 0;
    virtual Result<std::vector<Tracked>> tracked() = 0;

    // The ledger-wide lock of `sync` for `scope` (the Lever account), held until this
    // connection closes — also when the process dies. true: acquired (or already held by
    // this connection); false: another connection holds it. SQLite: always true (its
    // ledger is local, and `sync` holds a local flock); PostgreSQL: an advisory lock, so
    // two machines sharing the database exclude each other.
    virtual Result<bool> try_sync_lock(const std::string& scope) = 0;
};

// Opens the ledger at `location`: Ledger::open for a SQLite file; for PostgreSQL, connects
// (loading libpq on first use), migrates the schema under an advisory lock and checks the
// lineage like Ledger::open.
Result<std::unique_ptr<Ledger>> open_location(const Location& location,
                                              const OpenOptions& options = {});

// Whether a ledger already exists at `location` (SQLite: the file; PostgreSQL: its schema),
// so a dry run can read it without creating one. PostgreSQL errors (unreachable server)
// are returned.
Result<bool> ledger_exists(const Location& location);

// Opens a ledger connection (one per worker thread).
using LedgerOpener = std::function<Result<std::unique_ptr<Ledger>>()>;

} // namespace pjats::ledger
