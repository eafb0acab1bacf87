// Ledger::open: location, permissions, connection settings, migrations and refusals.

#include "test_ledger_support.hpp"

#include <pjats/ledger/ledger.hpp>

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <string>

using namespace pjats;
using namespace pjats::ledger;
using namespace pjats::ledger_test;

TEST_CASE("ledger::to_string") {
    CHECK(std::string(to_string(State::pending)) == "pending");
    CHECK(std::string(to_string(State::sent)) == "sent");
    CHECK(std::string(to_string(State::failed)) == "failed");
    CHECK(std::string(to_string(State::review)) == "review");
}

TEST_CASE("ledger::default_path") {
    SUBCASE("XDG_STATE_HOME wins") {
        EnvGuard xdg("XDG_STATE_HOME", "/xdg/state");
        EnvGuard home("HOME", "/home/someone");
        CHECK(default_path("work") == "/xdg/state/pj-ats/work.db");
    }
    SUBCASE("HOME when XDG_STATE_HOME is unset") {
        EnvGuard xdg("XDG_STATE_HOME", std::nullopt);
        EnvGuard home("HOME", "/home/someone");
        CHECK(default_path("default") == "/home/someone/.local/state/pj-ats/default.db");
    }
    SUBCASE("a relative XDG_STATE_HOME is ignored") {
        EnvGuard xdg("XDG_STATE_HOME", "relative/state");
        EnvGuard home("HOME", "/home/someone");
        CHECK(default_path("p") == "/home/someone/.local/state/pj-ats/p.db");
    }
    SUBCASE("nothing set gives an empty path, which open refuses") {
        EnvGuard xdg("XDG_STATE_HOME", std::nullopt);
        EnvGuard home("HOME", std::nullopt);
        CHECK(default_path("p").empty());
        auto opened = Ledger::open(default_path("p"));
        REQUIRE_FALSE(opened);
        CHECK(opened.error().kind == ErrorKind::config);
    }
}

TEST_CASE("ledger::Ledger::open creates private directories and files") {
    TempDir dir;
    const std::string state_dir = dir.file("state");
    const std::string path = state_dir + "/pj-ats/work.db";
    auto ledger = open_ok(path);
    CHECK(mode_of(state_dir) == 0700);
    CHECK(mode_of(state_dir + "/pj-ats") == 0700);
    CHECK(mode_of(path) == 0600);
    // The WAL file exists while the connection is open and after a write; it inherits
    // the database's mode.
    REQUIRE(ledger->set_meta("k", "v"));
    CHECK(mode_of(path + "-wal") == 0600);
}

TEST_CASE("ledger::Ledger::open tightens a ledger readable by others") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    write_file(path, "");
    REQUIRE(::chmod(path.c_str(), 0644) == 0);
    auto ledger = open_ok(path);
    CHECK(mode_of(path) == 0600);
}

TEST_CASE("ledger::Ledger::open leaves an existing directory's mode alone") {
    TempDir dir;
    const std::string sub = dir.file("shared");
    REQUIRE(::mkdir(sub.c_str(), 0755) == 0);
    REQUIRE(::chmod(sub.c_str(), 0755) == 0);
    auto ledger = open_ok(sub + "/l.db");
    CHECK(mode_of(sub) == 0755);
}

TEST_CASE("ledger::Ledger::open uses WAL and the current schema") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    auto ledger = open_ok(path);
    RawDb raw(path);
    CHECK(raw.text("PRAGMA journal_mode") == "wal");
    CHECK(raw.integer("PRAGMA user_version") == 3);
    CHECK(raw.integer("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                      "('sends', 'cursors', 'meta', 'runs')")
          == 4);
}

TEST_CASE("ledger::Ledger::open migrates a version 0 database") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    SUBCASE("an empty file") {
        write_file(path, "");
    }
    SUBCASE("a SQLite database without our tables") {
        RawDb raw(path);
        raw.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('kept')");
    }
    auto ledger = open_ok(path);
    REQUIRE(ledger->mark_pending({"c1", "lever", ""}, "a@example.com"));
    auto entry = ledger->get({"c1", "lever", ""});
    REQUIRE(entry);
    REQUIRE(entry->has_value());
    CHECK((*entry)->state == State::pending);
    RawDb raw(path);
    CHECK(raw.integer("PRAGMA user_version") == 3);
}

TEST_CASE("ledger::Ledger::open keeps unrelated data while migrating") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    {
        RawDb raw(path);
        raw.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('kept')");
    }
    auto ledger = open_ok(path);
    RawDb raw(path);
    CHECK(raw.text("SELECT body FROM notes") == "kept");
    CHECK(raw.integer("PRAGMA user_version") == 3);
}

TEST_CASE("ledger::Ledger::open is idempotent across reopen") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    open_ok(path);
    open_ok(path);
    RawDb raw(path);
    CHECK(raw.integer("PRAGMA user_version") == 3);
}

TEST_CASE("ledger::Ledger::open refuses a database from a newer pj-ats") {
    TempDir dir;
    const std::string path = dir.file("new.db");
    {
        RawDb raw(path);
        raw.exec("PRAGMA user_version = 7");
    }
    auto opened = Ledger::open(path);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().kind == ErrorKind::config);
    CHECK(opened.error().message == "ledger " + path + " was written by a newer pj-ats (schema 7)");
    // Nothing was changed: no tables, no WAL switch, same version.
    RawDb raw(path);
    CHECK(raw.integer("PRAGMA user_version") == 7);
    CHECK(raw.text("PRAGMA journal_mode") == "delete");
    CHECK(raw.integer("SELECT COUNT(*) FROM sqlite_master") == 0);
}

TEST_CASE("ledger::Ledger::open refuses a file that is not a SQLite database") {
    TempDir dir;
    const std::string path = dir.file("garbage.db");
    std::string garbage;
    for (int i = 0; i < 200; ++i) {
        garbage += "this is not a database, just some text\n";
    }
    write_file(path, garbage);
    auto opened = Ledger::open(path);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().kind == ErrorKind::config);
    CHECK(opened.error().message.find(path) != std::string::npos);
    CHECK(opened.error().message.find("not a usable SQLite database") != std::string::npos);
    CHECK(read_file(path) == garbage); // untouched
}

TEST_CASE("ledger::Ledger::open reports paths it cannot use") {
    TempDir dir;
    SUBCASE("the path is a directory") {
        const std::string path = dir.file("a-dir");
        REQUIRE(::mkdir(path.c_str(), 0700) == 0);
        auto opened = Ledger::open(path);
        REQUIRE_FALSE(opened);
        CHECK(opened.error().kind == ErrorKind::config);
        CHECK(opened.error().message.find(path) != std::string::npos);
    }
    SUBCASE("a parent is a regular file") {
        const std::string file = dir.file("plain");
        write_file(file, "x");
        const std::string path = file + "/sub/l.db";
        auto opened = Ledger::open(path);
        REQUIRE_FALSE(opened);
        CHECK(opened.error().kind == ErrorKind::config);
        CHECK(opened.error().message.find(path) != std::string::npos);
    }
}

TEST_CASE("ledger::Ledger::open lets two connections share one database") {
    TempDir dir;
    const std::string path = dir.file("race.db");
    auto first = open_ok(path);
    auto second = open_ok(path);
    REQUIRE(first->set_meta("from", "first"));
    auto seen = second->meta("from");
    REQUIRE(seen);
    CHECK(*seen == "first");
}

TEST_CASE("ledger::Ledger closed for the last time leaves a self-contained .db file") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    {
        auto ledger = open_ok(path);
        REQUIRE(ledger->mark_pending({"c1", "greenhouse", ""}, ""));
        REQUIRE(ledger->mark_sent({"c1", "greenhouse", ""}, "100000001"));
        REQUIRE(ledger->mark_pending({"c2", "greenhouse", ""}, ""));
        REQUIRE(ledger->mark_failed({"c2", "greenhouse", ""}, "422", false));
    }
    // A copy of the .db alone (a backup, a move to another machine) carries every row.
    const std::string copy = dir.file("copy.db");
    std::filesystem::copy_file(path, copy);
    REQUIRE_FALSE(std::filesystem::exists(copy + "-wal"));
    auto reopened = open_ok(copy);
    auto sent = reopened->get({"c1", "greenhouse", ""});
    REQUIRE(sent);
    REQUIRE(sent->has_value());
    CHECK((*sent)->state == State::sent);
    CHECK((*sent)->remote_id == "100000001");
    auto failed = reopened->get({"c2", "greenhouse", ""});
    REQUIRE(failed);
    REQUIRE(failed->has_value());
    CHECK((*failed)->state == State::failed);
}

TEST_CASE("ledger::Ledger::open with the lineage the profile remembers") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    std::string lineage;
    {
        auto ledger = open_ok(path);
        auto got = ledger->lineage();
        REQUIRE(got);
        lineage = *got;
        CHECK(lineage.size() == 32);
    }
    SUBCASE("the same ledger opens") {
        auto opened = Ledger::open(path, OpenOptions{lineage});
        CHECK(opened);
    }
    SUBCASE("a missing ledger is refused, naming the way on") {
        std::filesystem::remove(path);
        auto opened = Ledger::open(path, OpenOptions{lineage});
        REQUIRE_FALSE(opened);
        CHECK(opened.error().kind == ErrorKind::config);
        CHECK(with_hint(opened.error()).find("missing") != std::string::npos);
        CHECK(with_hint(opened.error()).find("configure ledger --new") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(path));
    }
    SUBCASE("an empty ledger is refused") {
        std::filesystem::resize_file(path, 0);
        auto opened = Ledger::open(path, OpenOptions{lineage});
        REQUIRE_FALSE(opened);
        CHECK(opened.error().kind == ErrorKind::config);
        CHECK(opened.error().message.find("empty") != std::string::npos);
    }
    SUBCASE("another ledger is refused") {
        std::filesystem::remove(path);
        open_ok(path);
        auto opened = Ledger::open(path, OpenOptions{lineage});
        REQUIRE_FALSE(opened);
        CHECK(opened.error().kind == ErrorKind::config);
        CHECK(opened.error().message.find("different ledger") != std::string::npos);
    }
}

TEST_CASE("ledger::Ledger::open migrates schema 1 rows to the unkeyed account") {
    TempDir dir;
    const std::string path = dir.file("l.db");
    {
        RawDb raw(path);
        raw.exec(R"sql(
CREATE TABLE sends (candidate_id TEXT NOT NULL, target TEXT NOT NULL,
    destination TEXT NOT NULL DEFAULT '', state TEXT NOT NULL, remote_id TEXT NOT NULL DEFAULT '',
    lookup_hint TEXT NOT NULL DEFAULT '', last_error TEXT NOT NULL DEFAULT '',
    temporary INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    PRIMARY KEY (candidate_id, target, destination));
CREATE TABLE cursors (job_id TEXT NOT NULL PRIMARY KEY, cursor TEXT NOT NULL,
    updated_at INTEGER NOT NULL);
CREATE TABLE meta (name TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO sends VALUES ('1042', 'greenhouse', '', 'sent', '100000001', '', '', 0, 1, 1, 1);
PRAGMA user_version = 1;
)sql");
    }
    auto ledger = open_ok(path);
    const Key unkeyed{"1042", "greenhouse", ""};
    const Key keyed{"1042", "greenhouse", "", "https://harvest.greenhouse.io#user:7"};
    auto before = ledger->get(keyed);
    REQUIRE(before);
    CHECK_FALSE(before->has_value());
    // The first run that knows the account adopts the old rows for it.
    REQUIRE(ledger->adopt_unkeyed("greenhouse", keyed.account));
    auto after = ledger->get(keyed);
    REQUIRE(after);
    REQUIRE(after->has_value());
    CHECK((*after)->state == State::sent);
    CHECK((*after)->remote_id == "100000001");
    auto gone = ledger->get(unkeyed);
    REQUIRE(gone);
    CHECK_FALSE(gone->has_value());
}
