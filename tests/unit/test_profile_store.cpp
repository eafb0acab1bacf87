#include "test_profile_support.hpp"

#include <pjats/profile/profile.hpp>

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

using namespace pjats;
using namespace pjats::profile;
using pjats::test::EnvGuard;
using pjats::test::TempDir;

namespace {

Config full_config() {
    Config config;
    config.default_profile = "work";

    Profile work;
    work.ca_bundle = "/etc/ssl/private ca/\"corp\".pem";
    work.ledger_lineage = "0123456789abcdef0123456789abcdef";
    work.ledger_url = "postgresql://pjats@db.example:5433/pjats?sslmode=verify-full&sslrootcert=/etc/ca.pem";
    work.source.kind = "url";
    work.source.url = "https://purpose.example/export?a=1&b=2";
    work.source.token = "tok \"quoted\" \\ back\\slash\nnew line\ttab";
    work.source.token_command = "pass show 'pj/token'";
    GreenhouseSettings gh;
    gh.email = "recruiter@acme.example";
    gh.api_key = "gh-key-äöü-日本-🎉";
    gh.api_key_command = "printf '%s\\n' \"$KEY\"";
    gh.base_url = "http://127.0.0.1:8080";
    work.greenhouse = gh;
    LeverSettings lever;
    lever.auth = "oauth";
    lever.api_key = "lever-key";
    lever.api_key_command = "cmd";
    lever.base_url = "https://api.lever.example";
    lever.auth_url = "https://auth.lever.example";
    lever.perform_as = "user-uuid";
    lever.perform_as_email = "hm@acme.example";
    lever.client_id = "client";
    lever.client_secret = "s3cr3t=\u0001\u007f";
    lever.client_secret_command = "helper get";
    lever.access_token = "access";
    lever.refresh_token = "refresh";
    lever.expires_at = 1767225600;
    lever.scope = "offline_access candidates:write:admin";
    work.lever = lever;
    work.links["pj-job-1"] = "lever-posting-uuid";
    work.links["job.with.dots"] = "p2";
    work.links["job with spaces"] = "p3";
    work.links["quote\"and\\slash"] = "p4";
    work.links[""] = "empty key";
    config.profiles["work"] = work;

    Profile minimal;
    minimal.source.kind = "dir";
    minimal.source.dir = "/abs/path";
    minimal.greenhouse = GreenhouseSettings{}; // present but empty must survive
    config.profiles["side_project-2"] = minimal;

    config.profiles["empty"] = Profile{};
    return config;
}

} // namespace

TEST_CASE("profile::save_config and load_config round trip") {
    TempDir dir;
    const std::string path = dir.file("config.toml");
    const Config config = full_config();
    REQUIRE(save_config(path, config));
    auto loaded = load_config(path);
    REQUIRE(loaded);
    CHECK(*loaded == config);
    CHECK_FALSE(loaded->profiles.at("empty").greenhouse);
    CHECK(loaded->profiles.at("side_project-2").greenhouse);
    CHECK_FALSE(loaded->profiles.at("side_project-2").lever);

    // Saving what was loaded reproduces the same bytes.
    const std::string first = test::read_file(path);
    REQUIRE(save_config(path, *loaded));
    CHECK(test::read_file(path) == first);
    // Empty keys are not written.
    CHECK(first.find("ca_bundle") == first.find("ca_bundle = "));
    CHECK(first.find("[profiles.empty]\n") != std::string::npos);
    CHECK(first.find("[profiles.empty.source]") == std::string::npos);
    CHECK(first.find("ledger_url = \"postgresql://pjats@db.example:5433/pjats?sslmode=") != std::string::npos);
    CHECK(loaded->profiles.at("work").ledger_url == config.profiles.at("work").ledger_url);
    CHECK(loaded->profiles.at("empty").ledger_url.empty());
}

TEST_CASE("profile::save_config refuses what cannot be loaded back") {
    TempDir dir;
    const std::string path = dir.file("config.toml");
    SUBCASE("invalid profile name") {
        Config config;
        config.profiles["bad name"] = Profile{};
        auto saved = save_config(path, config);
        REQUIRE_FALSE(saved);
        CHECK(saved.error().kind == ErrorKind::config);
        CHECK(saved.error().message.find("bad name") != std::string::npos);
    }
    SUBCASE("invalid UTF-8 is refused without echoing the value") {
        Config config;
        GreenhouseSettings gh;
        gh.api_key = "secret\xff";
        config.profiles["default"].greenhouse = gh;
        auto saved = save_config(path, config);
        REQUIRE_FALSE(saved);
        CHECK(saved.error().field == "profiles.default.greenhouse.api_key");
        CHECK(saved.error().message.find("secret") == std::string::npos);
    }
    CHECK(test::list_dir(dir.path()).empty());
}

TEST_CASE("profile::load_config of a missing file is an empty config") {
    TempDir dir;
    auto loaded = load_config(dir.file("no/such/dir/config.toml"));
    REQUIRE(loaded);
    CHECK(loaded->default_profile.empty());
    CHECK(loaded->profiles.empty());
    auto direct = load_config(dir.file("config.toml"));
    REQUIRE(direct);
    CHECK(direct->profiles.empty());
}

TEST_CASE("profile::load_config refuses a file readable by others") {
    TempDir dir;
    const std::string path = dir.file("config.toml");
    test::write_file(path, "default_profile = \"x\"\n", 0644);
    auto loaded = load_config(path);
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().kind == ErrorKind::config);
    CHECK(with_hint(loaded.error())
          == "config file " + path + " is readable by others (mode 0644); fix with: chmod 600 "
                 + path);
    CHECK(loaded.error().hint.kind == Hint::Kind::fix_with);
    CHECK(loaded.error().hint.command == "chmod 600 " + path);

    ::chmod(path.c_str(), 0640);
    auto group = load_config(path);
    REQUIRE_FALSE(group);
    CHECK(group.error().message.find("(mode 0640)") != std::string::npos);

    ::chmod(path.c_str(), 0600);
    auto fixed = load_config(path);
    REQUIRE(fixed);
    CHECK(fixed->default_profile == "x");
}

TEST_CASE("profile::load_config refuses what it cannot read as a file") {
    TempDir dir;
    const std::string path = dir.file("config.toml");
    SUBCASE("a directory") {
        REQUIRE(::mkdir(path.c_str(), 0700) == 0);
        auto loaded = load_config(path);
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().kind == ErrorKind::config);
        CHECK(loaded.error().message == "config file " + path + " is not a regular file");
    }
    SUBCASE("an unreadable file") {
        if (::geteuid() == 0) {
            MESSAGE("running as root: permissions do not stop reads, skipped");
            return;
        }
        test::write_file(path, "", 0000);
        auto loaded = load_config(path);
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().kind == ErrorKind::config);
        CHECK(loaded.error().message.find(path) != std::string::npos);
    }
}

TEST_CASE("profile::load_config refuses a config directory writable by others") {
    TempDir dir;
    const std::string sub = dir.file("conf");
    REQUIRE(::mkdir(sub.c_str(), 0700) == 0);
    test::write_file(sub + "/config.toml", "", 0600);
    ::chmod(sub.c_str(), 0777);
    auto loaded = load_config(sub + "/config.toml");
    REQUIRE_FALSE(loaded);
    CHECK(with_hint(loaded.error()).find("chmod 700 " + sub) != std::string::npos);
    CHECK(loaded.error().hint.command == "chmod 700 " + sub);
    auto saved = save_config(sub + "/config.toml", Config{});
    REQUIRE_FALSE(saved);
    CHECK(with_hint(saved.error()).find("chmod 700 " + sub) != std::string::npos);

    // A sticky directory such as /tmp is fine: others cannot replace our files there.
    ::chmod(sub.c_str(), 01777);
    CHECK(load_config(sub + "/config.toml"));
}

TEST_CASE("profile::save_config creates 0600 files in 0700 directories even with umask 0") {
    TempDir dir;
    const std::string path = dir.file("a/b/pj-ats/config.toml");
    const mode_t old_umask = ::umask(0);
    Config config;
    config.profiles["default"].source.kind = "dir";
    auto saved = save_config(path, config);
    auto locked = ConfigLock::acquire(dir.file("c/config.toml"));
    ::umask(old_umask);
    REQUIRE(saved);
    CHECK(test::mode_of(path) == 0600);
    CHECK(test::mode_of(dir.file("a/b/pj-ats")) == 0700);
    CHECK(test::mode_of(dir.file("a/b")) == 0700);
    CHECK(test::mode_of(dir.file("a")) == 0700);
    REQUIRE(locked);
    CHECK(test::mode_of(dir.file("c")) == 0700);
    CHECK(test::mode_of(dir.file("c/config.toml.lock")) == 0600);
}

TEST_CASE("profile::load_config reports parse errors with line and column") {
    TempDir dir;
    const std::string path = dir.file("config.toml");
    test::write_file(path, "default_profile = \"x\"\n\n[profiles.x\nca_bundle = 1\n", 0600);
    auto loaded = load_config(path);
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().kind == ErrorKind::config);
    const std::string& message = loaded.error().message;
    CHECK(message.rfind(path + ":3:", 0) == 0);
    CHECK(message.size() > path.size() + 6);
}

TEST_CASE("profile::load_config names wrongly typed keys") {
    TempDir dir;
    const std::string path = dir.file("config.toml");
    SUBCASE("string expected") {
        test::write_file(path, "[profiles.default.greenhouse]\nemail = 5\n", 0600);
        auto loaded = load_config(path);
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().kind == ErrorKind::config);
        CHECK(loaded.error().field == "profiles.default.greenhouse.email");
        CHECK(loaded.error().message.find(path + ":2:") == 0);
        CHECK(loaded.error().message.find("profiles.default.greenhouse.email must be a string")
              != std::string::npos);
    }
    SUBCASE("integer expected") {
        test::write_file(path, "[profiles.p.lever]\nexpires_at = \"x\"\n", 0600);
        auto loaded = load_config(path);
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().field == "profiles.p.lever.expires_at");
    }
    SUBCASE("table expected") {
        test::write_file(path, "[profiles.p]\nsource = \"dir\"\n", 0600);
        auto loaded = load_config(path);
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().field == "profiles.p.source");
    }
    SUBCASE("link values must be strings, and every problem is reported") {
        test::write_file(
            path, "default_profile = 3\n[profiles.p.links]\n\"a.b\" = 1\nok = \"x\"\n", 0600);
        auto loaded = load_config(path);
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().field == "default_profile");
        CHECK(loaded.error().message.find("profiles.p.links.\"a.b\" must be a string")
              != std::string::npos);
    }
}

TEST_CASE("profile::load_config ignores unknown keys and refuses bad profile names") {
    TempDir dir;
    const std::string path = dir.file("config.toml");
    test::write_file(path,
                     "future = 1\n[profiles.p]\nnew_key = [1, 2]\n[profiles.p.greenhouse]\n"
                     "email = \"e@x\"\nshiny = true\n",
                     0600);
    auto loaded = load_config(path);
    REQUIRE(loaded);
    REQUIRE(loaded->profiles.at("p").greenhouse);
    CHECK(loaded->profiles.at("p").greenhouse->email == "e@x");

    test::write_file(path, "[profiles.\"bad name\"]\n", 0600);
    auto bad = load_config(path);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("bad name") != std::string::npos);

    test::write_file(path, "default_profile = \"../x\"\n", 0600);
    CHECK_FALSE(load_config(path));
}

TEST_CASE("profile::check_profile_name") {
    CHECK(check_profile_name("default"));
    CHECK(check_profile_name("Work_2-b"));
    CHECK_FALSE(check_profile_name(""));
    CHECK_FALSE(check_profile_name("a b"));
    CHECK_FALSE(check_profile_name("a.b"));
    CHECK_FALSE(check_profile_name("a/b"));
    CHECK_FALSE(check_profile_name("é"));
    CHECK(check_profile_name("a.b").error().kind == ErrorKind::config);
}

TEST_CASE("profile::save_config is atomic and leaves no temp files") {
    TempDir dir;
    const std::string path = dir.file("config.toml");
    Config config = full_config();
    REQUIRE(save_config(path, config));
    config.profiles.erase("empty");
    REQUIRE(save_config(path, config));
    CHECK(test::list_dir(dir.path()) == std::set<std::string>{"config.toml"});
    auto loaded = load_config(path);
    REQUIRE(loaded);
    CHECK(*loaded == config);

    SUBCASE("a failed rename removes the temp file") {
        const std::string blocked = dir.file("sub/config.toml");
        REQUIRE(::mkdir(dir.file("sub").c_str(), 0700) == 0);
        REQUIRE(::mkdir(blocked.c_str(), 0700) == 0); // a directory where the file should go
        auto saved = save_config(blocked, config);
        REQUIRE_FALSE(saved);
        CHECK(saved.error().kind == ErrorKind::config);
        CHECK(test::list_dir(dir.file("sub")) == std::set<std::string>{"config.toml"});
    }
}

TEST_CASE("profile::save_config through a symlink keeps the symlink") {
    TempDir dir;
    const std::string real = dir.file("real.toml");
    const std::string link = dir.file("config.toml");
    REQUIRE(save_config(real, Config{}));
    REQUIRE(::symlink(real.c_str(), link.c_str()) == 0);
    Config config;
    config.default_profile = "linked";
    REQUIRE(save_config(link, config));

    struct stat st {};

    REQUIRE(::lstat(link.c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode));
    auto loaded = load_config(real);
    REQUIRE(loaded);
    CHECK(loaded->default_profile == "linked");
}

TEST_CASE("profile: an unknown config location is a config error") {
    auto loaded = load_config("");
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().kind == ErrorKind::config);
    CHECK(loaded.error().message
          == "cannot determine config directory: set HOME or XDG_CONFIG_HOME");
    auto saved = save_config("", Config{});
    REQUIRE_FALSE(saved);
    CHECK(saved.error().message == loaded.error().message);
    auto locked = ConfigLock::acquire("");
    REQUIRE_FALSE(locked);
    CHECK(locked.error().message == loaded.error().message);
}

TEST_CASE("profile::config_path precedence") {
    EnvGuard config_env("PJ_ATS_CONFIG", "/env/config.toml");
    EnvGuard xdg("XDG_CONFIG_HOME", "/xdg");
    EnvGuard home("HOME", "/home/u");
    CHECK(config_path("/flag.toml") == "/flag.toml");
    CHECK(config_path("") == "/env/config.toml");
    {
        EnvGuard unset("PJ_ATS_CONFIG", std::nullopt);
        CHECK(config_path("") == "/xdg/pj-ats/config.toml");
        {
            EnvGuard relative("XDG_CONFIG_HOME", "relative/dir");
            CHECK(config_path("") == "/home/u/.config/pj-ats/config.toml");
        }
        {
            EnvGuard empty("XDG_CONFIG_HOME", "");
            CHECK(config_path("") == "/home/u/.config/pj-ats/config.toml");
            EnvGuard no_home("HOME", std::nullopt);
            CHECK(config_path("").empty());
            CHECK(config_path("x.toml") == "x.toml");
        }
    }
    {
        EnvGuard empty("PJ_ATS_CONFIG", "");
        CHECK(config_path("") == "/xdg/pj-ats/config.toml");
    }
}

TEST_CASE("profile::profile_name precedence") {
    Config config;
    EnvGuard env("PJ_ATS_PROFILE", std::nullopt);
    CHECK(profile_name("", config) == "default");
    config.default_profile = "from-config";
    CHECK(profile_name("", config) == "from-config");
    {
        EnvGuard set("PJ_ATS_PROFILE", "from-env");
        CHECK(profile_name("", config) == "from-env");
        CHECK(profile_name("from-flag", config) == "from-flag");
    }
    {
        EnvGuard empty("PJ_ATS_PROFILE", "");
        CHECK(profile_name("", config) == "from-config");
    }
}

TEST_CASE("profile::update_config applies a change under the lock") {
    TempDir dir;
    const std::string path = dir.file("pj-ats/config.toml");
    Status first = update_config(path, [](Config& config) -> Status {
        config.default_profile = "p";
        config.profiles["p"].links["job"] = "posting";
        return {};
    });
    REQUIRE(first);
    auto loaded = load_config(path);
    REQUIRE(loaded);
    CHECK(loaded->profiles.at("p").links.at("job") == "posting");

    const std::string before = test::read_file(path);
    Status refused = update_config(path, [](Config& config) -> Status {
        config.profiles.clear();
        return make_error(ErrorKind::usage, "changed my mind");
    });
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message == "changed my mind");
    CHECK(test::read_file(path) == before);
}

TEST_CASE("profile::ConfigLock serialises concurrent read-modify-write cycles") {
    TempDir dir;
    const std::string path = dir.file("config.toml");
    std::atomic<int> failures{0};
    const auto worker = [&] {
        for (int i = 0; i < 50; ++i) {
            Status done = update_config(path, [](Config& config) -> Status {
                Profile& p = config.profiles["counter"];
                if (!p.lever) {
                    p.lever = LeverSettings{};
                }
                p.lever->expires_at += 1;
                return {};
            });
            if (!done) {
                ++failures;
            }
        }
    };
    std::thread a(worker);
    std::thread b(worker);
    a.join();
    b.join();
    CHECK(failures.load() == 0);
    auto loaded = load_config(path);
    REQUIRE(loaded);
    REQUIRE(loaded->profiles.at("counter").lever);
    CHECK(loaded->profiles.at("counter").lever->expires_at == 100);
}

namespace {

// Whether another open file description could take the lock right now.
bool lock_is_free(const std::string& lock_path) {
    const int fd = ::open(lock_path.c_str(), O_RDWR | O_CLOEXEC);
    REQUIRE(fd >= 0);
    const bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    ::close(fd);
    return free;
}

} // namespace

TEST_CASE("profile::ConfigLock is movable and released on destruction") {
    TempDir dir;
    const std::string path = dir.file("config.toml");
    {
        auto lock = ConfigLock::acquire(path);
        REQUIRE(lock);
        CHECK_FALSE(lock_is_free(path + ".lock"));
        ConfigLock moved = std::move(*lock);
        CHECK_FALSE(lock_is_free(path + ".lock"));
        ConfigLock assigned = std::move(moved);
        CHECK_FALSE(lock_is_free(path + ".lock"));
    }
    CHECK(lock_is_free(path + ".lock"));
}
