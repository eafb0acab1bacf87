#pragma once

#include <pjats/core/result.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pjats::ledger {

enum class State { pending, sent, failed, review };

const char* to_string(State state);

// The key of one send: a candidate, a target system and where in it (Greenhouse job id,
// Lever posting id, or empty for a prospect / plain opportunity).
struct Key {
    std::string candidate_id;
    std::string target;       // "greenhouse" or "lever"
    std::string destination;  // "" or "job:4690" / "posting:<id>"
};

struct Entry {
    Key key;
    State state = State::pending;
    std::string remote_id;    // Greenhouse candidate id / Lever opportunity id when sent
    std::string lookup_hint;  // what finds the remote record again (Lever: email)
    std::string last_error;   // redacted, human readable
    bool temporary = false;   // the last error is worth retrying automatically
    int attempts = 0;
    std::int64_t updated_at = 0; // unix seconds
};

struct Counts {
    std::int64_t pending = 0;
    std::int64_t sent = 0;
    std::int64_t failed = 0;
    std::int64_t review = 0;
};

// $XDG_STATE_HOME/pj-ats/<profile>.db, else ~/.local/state/pj-ats/<profile>.db.
std::string default_path(const std::string& profile);

// The SQLite send ledger (WAL mode, versioned schema migrated on open). Every write is
// its own transaction and survives a crash of the process when it returns; mark_pending,
// forget and cursor/meta writes also survive a power cut, while an outcome (mark_sent,
// mark_failed, mark_review) does once the next such write syncs the log — losing one to a
// power cut only leaves the row pending, which a re-run resolves without a duplicate. Safe to use from several processes;
// a single Ledger object is not shared between threads.
class Ledger {
  public:
    // Opens or creates the database (and its directory, 0700).
    static Result<std::unique_ptr<Ledger>> open(const std::string& path);
    virtual ~Ledger() = default;

    virtual Result<std::optional<Entry>> get(const Key& key) = 0;
    // Records the intent to send, before the request; increments attempts.
    virtual Status mark_pending(const Key& key, const std::string& lookup_hint) = 0;
    virtual Status mark_sent(const Key& key, const std::string& remote_id) = 0;
    virtual Status mark_failed(const Key& key, const std::string& error, bool temporary) = 0;
    // An unknown outcome that needs a human (Greenhouse cannot be searched).
    virtual Status mark_review(const Key& key, const std::string& error) = 0;
    virtual Status forget(const Key& key) = 0;

    virtual Result<Counts> counts() = 0;
    virtual Result<std::vector<Entry>> list(std::optional<State> state) = 0;

    // Sync cursors per linked Purpose Jobs job.
    virtual Result<std::string> cursor(const std::string& job_id) = 0;
    virtual Status set_cursor(const std::string& job_id, const std::string& cursor) = 0;

    // Free-form metadata (e.g. "last_sync" timestamp).
    virtual Result<std::string> meta(const std::string& name) = 0;
    virtual Status set_meta(const std::string& name, const std::string& value) = 0;
};

} // namespace pjats::ledger
