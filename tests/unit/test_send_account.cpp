// send::bind_account: one organization, one history (docs/ledger.md, "Accounts"), on both
// ledger backends; http::canonical_base_url.

#include "test_ledger_backends.hpp"

#include <pjats/http/url.hpp>
#include <pjats/ledger/ledger.hpp>
#include <pjats/send/account.hpp>
#include <pjats/send/target.hpp>

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace pjats;
using namespace pjats::ledger_test;

namespace {

// Which users each organization has; a credential reaches the users of its own.
using Directory = std::map<std::string, std::set<std::string>>; // org → users

// A target whose credential acts as `user` of organization `org` on `url`.
class OrgTarget final : public send::Target {
  public:
    OrgTarget(const Directory& directory, std::string org, std::string url, std::string user)
        : m_directory(directory),
          m_org(std::move(org)) {
        m_identity.url = http::canonical_base_url(url);
        m_identity.user = std::move(user);
        m_identity.proof = m_identity.user + "@mail";
        m_account = send::account_key(url, "user:" + m_identity.user);
    }

    std::string name() const override { return "lever"; }
    std::string account() const override { return m_account; }
    send::OrgIdentity org_identity() const override { return m_identity; }
    Result<bool> reaches_user(const std::string& user, const std::string& proof) override {
        ++asked;
        CHECK(proof == user + "@mail"); // the proof recorded by that user's host
        return m_directory.at(m_org).count(user) == 1;
    }
    void set_account(std::string account) override { m_account = std::move(account); }

    std::string destination(const send::Placement&) const override { return ""; }
    Result<std::string> describe_request(const model::Candidate&, const send::Placement&) override {
        return std::string();
    }
    Result<send::Outcome> create(const model::Candidate&, const send::Placement&) override {
        return send::Outcome{};
    }
    bool can_look_up() const override { return false; }
    Result<std::optional<send::Outcome>> find_existing(const model::Candidate&,
                                                       const send::Placement&) override {
        return std::optional<send::Outcome>{};
    }

    int asked = 0;

  private:
    const Directory& m_directory;
    std::string m_org;
    send::OrgIdentity m_identity;
    std::string m_account;
};

const Directory k_directory = {
    {"acme", {"u-alan", "u-grace", "u-cron"}},
    {"globex", {"u-gil"}},
};

std::string bind(ledger::Ledger& ledger, OrgTarget& target, bool may_ask = true) {
    auto bound = send::bind_account(ledger, target, may_ask);
    REQUIRE_MESSAGE(bound.has_value(), (bound ? "" : bound.error().message));
    CHECK(*bound == target.account());
    return *bound;
}

} // namespace

TEST_CASE("http::canonical_base_url folds the spellings of one server") {
    const std::string want = "https://api.greenhouse.io";
    for (const char* spelling :
         {"https://api.greenhouse.io", "https://api.greenhouse.io/", "HTTPS://API.Greenhouse.IO",
          "https://api.greenhouse.io:443/v1/partner", "https://api.greenhouse.io/v1/partner/",
          "https://api.greenhouse.io/v1", "https://api.greenhouse.io/V1/"}) {
        CAPTURE(spelling);
        CHECK(http::canonical_base_url(spelling) == want);
    }
    CHECK(http::canonical_base_url("HTTP://127.0.0.1:8080/v1/") == "http://127.0.0.1:8080");
    CHECK(http::canonical_base_url("http://localhost:80") == "http://localhost");
    CHECK(http::canonical_base_url("https://gw.example/ats/v1") == "https://gw.example/ats");
    // Different servers stay different.
    CHECK(http::canonical_base_url("https://api.greenhouse.io:8443")
          != http::canonical_base_url("https://api.greenhouse.io"));
    CHECK(http::canonical_base_url("http://x.example") != http::canonical_base_url("https://x.example"));
}

TEST_CASE_TEMPLATE("send::bind_account: users of one organization share an account, another "
                   "organization on the same URL gets its own",
                   Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = db.open();

    OrgTarget alan(k_directory, "acme", "https://api.lever.co/v1/", "u-alan");
    const std::string acme = bind(*ledger, alan);
    CHECK(acme == "https://api.lever.co#org:u-alan");
    CHECK(alan.asked == 0); // the first host anchors the organization

    OrgTarget grace(k_directory, "acme", "HTTPS://API.LEVER.CO:443", "u-grace");
    CHECK(bind(*ledger, grace) == acme);
    CHECK(grace.asked == 1); // proved by reaching the anchor

    OrgTarget gil(k_directory, "globex", "https://api.lever.co", "u-gil");
    const std::string globex = bind(*ledger, gil);
    CHECK(globex == "https://api.lever.co#org:u-gil");
    CHECK(globex != acme);

    // Known members need no request; a dry run finds them too.
    OrgTarget grace_again(k_directory, "acme", "https://api.lever.co", "u-grace");
    CHECK(bind(*ledger, grace_again, /*may_ask=*/false) == acme);
    CHECK(grace_again.asked == 0);

    // A dry run of a user the ledger does not know yet changes nothing.
    OrgTarget cron_dry(k_directory, "acme", "https://api.lever.co", "u-cron");
    const std::string before = cron_dry.account();
    CHECK(bind(*ledger, cron_dry, /*may_ask=*/false) == before);
    auto recorded = ledger->meta("org_member|lever|https://api.lever.co|u-cron");
    REQUIRE(recorded);
    CHECK(recorded->empty());

    // A third acme host checks the slots in order: acme first, and never joins globex.
    OrgTarget cron(k_directory, "acme", "https://api.lever.co", "u-cron");
    CHECK(bind(*ledger, cron) == acme);
}

TEST_CASE_TEMPLATE("send::bind_account: hosts of one organization starting at once agree",
                   Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    std::vector<std::string> users = {"u-alan", "u-grace", "u-cron"};
    std::vector<std::string> accounts(users.size());
    {
        std::vector<std::thread> hosts;
        for (std::size_t i = 0; i < users.size(); ++i) {
            hosts.emplace_back([&, i] {
                auto ledger = ledger::open_location(db.location());
                REQUIRE(ledger);
                OrgTarget target(k_directory, "acme", "https://api.lever.co", users[i]);
                auto bound = send::bind_account(**ledger, target, true);
                REQUIRE(bound);
                accounts[i] = *bound;
            });
        }
        for (auto& host : hosts) {
            host.join();
        }
    }
    CHECK(accounts[0] == accounts[1]);
    CHECK(accounts[1] == accounts[2]);
}

TEST_CASE_TEMPLATE("send::bind_account moves a member's per-user rows to the organization",
                   Backend, PJATS_LEDGER_BACKENDS) {
    TestLedger db(Backend::kind);
    PJATS_REQUIRE_BACKEND(db);
    auto ledger = db.open();
    ledger::RunIdentity run = ledger::this_process();
    REQUIRE(ledger->begin_run(run, "test"));
    // Written by an older pj-ats: keyed by the URL as typed and the acting user.
    const ledger::Key old_alan{"c1", "lever", "posting:p", "https://api.lever.co/#user:u-alan"};
    const ledger::Key old_grace{"c2", "lever", "", "HTTPS://api.lever.co/v1#user:u-grace"};
    const ledger::Key old_gil{"c3", "lever", "", "https://api.lever.co#user:u-gil"};
    for (const auto& key : {old_alan, old_grace, old_gil}) {
        REQUIRE(*ledger->claim(key, "", 0));
        REQUIRE(ledger->mark_sent(key, "opp-" + key.candidate_id));
    }
    REQUIRE(ledger->plan_steps(old_alan, {"note"}));
    REQUIRE(ledger->set_cursor("https://api.lever.co/#user:u-alan|job-1", "cur-1"));

    OrgTarget alan(k_directory, "acme", "https://api.lever.co", "u-alan");
    const std::string acme = bind(*ledger, alan);
    OrgTarget grace(k_directory, "acme", "https://api.lever.co", "u-grace");
    CHECK(bind(*ledger, grace) == acme);

    auto moved = ledger->get({"c1", "lever", "posting:p", acme});
    REQUIRE(moved);
    REQUIRE(moved->has_value());
    CHECK((*moved)->remote_id == "opp-c1");
    auto steps = ledger->steps({"c1", "lever", "posting:p", acme});
    REQUIRE(steps);
    CHECK(steps->size() == 1);
    auto cursor = ledger->cursor(acme + "|job-1");
    REQUIRE(cursor);
    CHECK(*cursor == "cur-1");
    auto graces = ledger->get({"c2", "lever", "", acme});
    REQUIRE(graces);
    CHECK(graces->has_value());
    // Another organization's rows stay where they are.
    auto gils = ledger->get(old_gil);
    REQUIRE(gils);
    CHECK(gils->has_value());
    auto gone = ledger->get(old_alan);
    REQUIRE(gone);
    CHECK_FALSE(gone->has_value());
}
