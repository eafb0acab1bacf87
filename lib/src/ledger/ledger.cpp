// Where the ledger lives and how it is opened: directory and file permissions, connection
// settings, and the checks that turn an unusable file into a clear configuration error.

#include "ledger/schema.hpp"
#include "ledger/sqlite_ledger.hpp"
#include "ledger/statement.hpp"

#include <pjats/ledger/ledger.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

namespace pjats::ledger {

namespace {

// Several pj-ats processes (cron sync, an interactive send) may write at once; SQLite
// waits up to this long for the write lock before reporting SQLITE_BUSY.
constexpr int k_busy_timeout_ms = 10'000;
constexpr int k_wal_retry_ms = 5;

std::string env_value(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

Error config_error(std::string message) {
    return make_error(ErrorKind::config, std::move(message));
}

Error errno_error(const std::string& what, int err) {
    return config_error(what + ": " + std::strerror(err));
}

// Creates the missing directories of `dir` (each 0700); existing ones are left alone.
Status make_private_dirs(const std::string& dir, const std::string& path) {
    for (std::size_t pos = 1; pos <= dir.size(); ++pos) {
        if (pos != dir.size() && dir[pos] != '/') {
            continue;
        }
        const std::string prefix = dir.substr(0, pos);
        if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
            return errno_error("cannot create directory " + prefix + " for ledger " + path, errno);
        }
    }
    return {};
}

// Makes sure the file exists with mode 0600 before SQLite opens it (SQLite would create
// it 0644, and its -wal/-shm files inherit the database's mode). The descriptor is only
// opened when this call creates the file: closing a descriptor of a database that another
// connection in this process holds would drop that connection's POSIX locks.
Status create_private_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);
    if (fd >= 0) {
        ::close(fd);
        return {};
    }
    if (errno != EEXIST) {
        return errno_error("cannot create ledger " + path, errno);
    }

    struct stat st {};

    if (::stat(path.c_str(), &st) != 0) {
        return errno_error("cannot open ledger " + path, errno);
    }
    if (!S_ISREG(st.st_mode)) {
        return config_error("ledger " + path + " is not a regular file");
    }
    if ((st.st_mode & 077) != 0) {
        // It holds candidate ids and e-mail addresses: tighten a too-open file (by path,
        // for the same locking reason). Best effort; the owner may be someone else.
        (void)::chmod(path.c_str(), 0600);
    }
    return {};
}

// The default VFS, except that an existing WAL file is opened without SQLITE_OPEN_CREATE:
// the unix VFS syncs the directory on the first sync of every journal or WAL it opens
// with "create", although only a new file needs its directory entry synced.
sqlite3_vfs* g_base_vfs = nullptr;
sqlite3_vfs g_ledger_vfs;

int open_existing_wal(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out) {
    if ((flags & SQLITE_OPEN_WAL) != 0 && (flags & SQLITE_OPEN_CREATE) != 0 && name != nullptr
        && ::access(name, F_OK) == 0) {
        const int rc = g_base_vfs->xOpen(g_base_vfs, name, file, flags & ~SQLITE_OPEN_CREATE, out);
        if (rc == SQLITE_OK) {
            return rc;
        }
    }
    return g_base_vfs->xOpen(g_base_vfs, name, file, flags, out);
}

// "pjats-ledger", registered on first use; nullptr (the default VFS) if that fails.
const char* ledger_vfs() {
    static const char* name = [] () -> const char* {
        g_base_vfs = sqlite3_vfs_find(nullptr);
        if (g_base_vfs == nullptr) {
            return nullptr;
        }
        g_ledger_vfs = *g_base_vfs;
        g_ledger_vfs.zName = "pjats-ledger";
        g_ledger_vfs.pNext = nullptr;
        g_ledger_vfs.xOpen = &open_existing_wal;
        return sqlite3_vfs_register(&g_ledger_vfs, 0) == SQLITE_OK ? g_ledger_vfs.zName : nullptr;
    }();
    return name;
}

// Sets `PRAGMA journal_mode = WAL` and stores the mode SQLite reports in `mode`. Switching
// a database into WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at once,
// without the busy handler, when another connection is switching it at the same time
// (two processes opening a new ledger). That contention is brief: retry for a while.
Status switch_to_wal(sqlite3* db, const std::string& path, std::string& mode) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(k_busy_timeout_ms);
    for (;;) {
        detail::Statement wal(db, "PRAGMA journal_mode = WAL");
        const int rc = wal.step();
        if (rc == SQLITE_ROW) {
            mode = wal.text(0);
            return {};
        }
        const bool busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
        if (!busy || std::chrono::steady_clock::now() >= deadline) {
            return detail::sqlite_error(
                db, rc, ErrorKind::config, "cannot use ledger " + path + " in WAL mode");
        }
        sqlite3_sleep(k_wal_retry_ms);
    }
}

// Per-connection settings. WAL lets readers and one writer work at once; FULL syncs the
// WAL on every commit (the ledger's own writes commit at OFF and sync in groups: see
// SharedConnection in sqlite_ledger.hpp). The last connection to close checkpoints the
// WAL into the database file and empties it, so after a run the .db file alone holds
// every row (a copy of it is a backup). SQLite's automatic checkpoint is replaced by
// SharedConnection's, which keeps the WAL of a long run small.
Status configure_connection(sqlite3* db, const std::string& path) {
    std::string mode;
    PJATS_TRY(switch_to_wal(db, path, mode));
    if (mode != "wal") {
        return config_error("cannot use ledger " + path + " in WAL mode (SQLite kept '" + mode
                            + "'); is it on a network file system?");
    }
    // The WAL outlives the connection, emptied (journal_size_limit 0) once checkpointed
    // into the .db file: an existing WAL file is opened without O_CREAT (ledger_vfs), and
    // SQLite then has no new directory entry to sync on the first sync of each run.
    int persist = 1;
    sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
    int rc = detail::exec_sql(db,
                              "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
                              "PRAGMA wal_autocheckpoint = 64; PRAGMA journal_size_limit = 0");
    if (rc != SQLITE_OK) {
        return detail::sqlite_error(db, rc, ErrorKind::config, "cannot configure ledger " + path);
    }
    return {};
}

// A ledger the profile has used is missing, empty or another one: refusing is the only
// safe answer, since a new ledger would send every candidate again.
Error lineage_error(const std::string& path, const std::string& what) {
    Error error = config_error("ledger " + path + " " + what
                               + "; pj-ats will not start a new one silently, because every "
                                 "candidate already sent would be sent again. Restore the file "
                                 "from a backup (a copy of the .db file is complete after every "
                                 "run), or start a new, empty ledger");
    error.hint = Hint{Hint::Kind::run, "configure ledger --new", ""};
    return error;
}

Status check_present(const std::string& path, const std::string& lineage) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) {
            return lineage_error(path, "is missing, but this profile used ledger " + lineage);
        }
        return errno_error("cannot open ledger " + path, errno);
    }
    if (S_ISREG(st.st_mode) && st.st_size == 0) {
        return lineage_error(path, "is empty, but this profile used ledger " + lineage);
    }
    return {};
}

// `ledger` when its lineage is the one `options` expects (if any).
Result<std::unique_ptr<Ledger>> checked_lineage(std::unique_ptr<detail::SqliteLedger> ledger,
                                                const std::string& path,
                                                const OpenOptions& options) {
    if (!options.expected_lineage.empty()) {
        auto lineage = ledger->lineage();
        if (!lineage) {
            return std::move(lineage).error();
        }
        if (*lineage != options.expected_lineage) {
            return lineage_error(path, "is a different ledger (lineage " + *lineage
                                           + ") from the one this profile used ("
                                           + options.expected_lineage + ")");
        }
    }
    return std::unique_ptr<Ledger>(std::move(ledger));
}

} // namespace

const char* to_string(State state) {
    switch (state) {
    case State::pending:
        return "pending";
    case State::sent:
        return "sent";
    case State::failed:
        return "failed";
    case State::review:
        return "review";
    }
    return "pending";
}

std::optional<State> state_from_text(const std::string& text) {
    for (State state : {State::pending, State::sent, State::failed, State::review}) {
        if (text == to_string(state)) {
            return state;
        }
    }
    return std::nullopt;
}

const char* to_string(StepState state) {
    switch (state) {
    case StepState::todo:
        return "todo";
    case StepState::pending:
        return "pending";
    case StepState::done:
        return "done";
    case StepState::failed:
        return "failed";
    }
    return "todo";
}

std::string default_path(const std::string& profile) {
    const std::string file = "/pj-ats/" + profile + ".db";
    // The XDG base directory spec says relative values are invalid and must be ignored.
    const std::string xdg = env_value("XDG_STATE_HOME");
    if (!xdg.empty() && xdg.front() == '/') {
        return xdg + file;
    }
    const std::string home = env_value("HOME");
    if (!home.empty()) {
        return home + "/.local/state" + file;
    }
    return {};
}

Result<std::unique_ptr<Ledger>> Ledger::open(const std::string& path, const OpenOptions& options) {
    if (path.empty()) {
        return config_error("no ledger path: set HOME or XDG_STATE_HOME");
    }
    if (!options.expected_lineage.empty()) {
        PJATS_TRY(check_present(path, options.expected_lineage));
    }
    const std::string::size_type slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0) {
        PJATS_TRY(make_private_dirs(path.substr(0, slash), path));
    }
    PJATS_TRY(create_private_file(path));

    // One connection per file and process (SharedConnection in sqlite_ledger.hpp), keyed by
    // the file itself so a file replaced under the same name gets a connection of its own.
    struct stat st {};
    std::string identity;
    if (::stat(path.c_str(), &st) == 0) {
        identity = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
    }
    std::shared_ptr<detail::SharedConnection> connection =
        identity.empty() ? nullptr : detail::find_shared(identity);
    if (connection) {
        return checked_lineage(std::make_unique<detail::SqliteLedger>(connection, path), path,
                               options);
    }

    sqlite3* raw = nullptr;
    // No SQLITE_OPEN_URI: the path is always a file name. NOMUTEX: SqliteLedger
    // serializes its own calls.
    const int rc =
        sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        ledger_vfs());
    detail::SqliteDb db(raw); // closed on every path below, even when the open failed
    if (rc != SQLITE_OK) {
        return detail::sqlite_error(db.get(), rc, ErrorKind::config, "cannot open ledger " + path);
    }
    // Before the first read: even reading waits while another opener holds a lock.
    sqlite3_busy_timeout(db.get(), k_busy_timeout_ms);
    if (sqlite3_db_readonly(db.get(), "main") == 1) {
        return config_error("ledger " + path + " is read-only");
    }
    // Reads the header: a garbage file fails here, before anything is written to it.
    PJATS_TRY(detail::check_schema_version(db.get(), path));
    PJATS_TRY(configure_connection(db.get(), path));
    PJATS_TRY(detail::migrate(db.get(), path));
    connection = detail::share(identity, std::move(db));
    return checked_lineage(std::make_unique<detail::SqliteLedger>(connection, path), path,
                           options);
}

} // namespace pjats::ledger
