// app::Services and app::Transports: built once per command, one pacer per target with
// the target's own limits, one Lever session, and sources on the shared stack.
#include "support/scripted_transport.hpp"
#include "test_profile_support.hpp"

#include <pjats/app/services.hpp>
#include <pjats/app/settings.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using namespace pjats;
using namespace pjats::app;
using pjats::test::ScriptedTransport;
using pjats::test::line_count;
using pjats::test::TempDir;

namespace {

Getenv no_env() {
    return [](const char*) -> const char* { return nullptr; };
}

std::unique_ptr<Settings> settings_of(const profile::Profile& profile) {
    profile::Config config;
    config.profiles["default"] = profile;
    return std::make_unique<Settings>(
        config, Setting{"/nonexistent/config.toml", Origin::flag, "--config"}, "", no_env());
}

TransportSettings scripted(ScriptedTransport& base, Pace requested = {}) {
    TransportSettings settings;
    settings.base = &base;
    settings.requested = requested;
    return settings;
}


} // namespace

TEST_CASE("pace_for: Lever supplies its own limit; Greenhouse is unlimited unless asked") {
    const Pace lever = pace_for("lever", {});
    CHECK(lever.rate == lever::k_rate_per_second);
    CHECK(lever.burst == lever::k_client_burst);
    CHECK(pace_for("lever", {4, 1}).rate == 4);   // a lower --rate wins
    CHECK(pace_for("lever", {50, 1}).rate == 10); // never above Lever's limit
    CHECK(pace_for("greenhouse", {}).rate == 0);
    const Pace asked = pace_for("greenhouse", {5, 3});
    CHECK(asked.rate == 5);
    CHECK(asked.burst == 3);
}

TEST_CASE("Transports: one pacer per target, under the retry layer, built once") {
    ScriptedTransport base;
    Transports transports(scripted(base));
    CHECK(transports.pacer("lever") == nullptr); // nothing built before use
    http::Transport& lever_stack = transports.target("lever");
    CHECK(&lever_stack == &transports.target("lever"));
    const http::TokenBucket* pacer = transports.pacer("lever");
    REQUIRE(pacer != nullptr);
    CHECK(pacer->rate() == lever::k_rate_per_second);
    transports.target("greenhouse");
    CHECK(transports.pacer("greenhouse") == nullptr); // unlimited by default

    // 20 requests at Lever's pace: 17 at once, the other 3 at 10/s.
    for (int i = 0; i < 20; ++i) {
        base.respond(200, "{}");
    }
    http::Request request;
    request.method = "GET";
    request.url = "http://127.0.0.1:9/v1/postings";
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; ++i) {
        REQUIRE(lever_stack.send(request));
    }
    const auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(elapsed >= std::chrono::milliseconds(250));
    CHECK(base.request_count() == 20);
}

TEST_CASE("Transports: Greenhouse is paced when --rate asks for it") {
    ScriptedTransport base;
    Transports transports(scripted(base, {5, 2}));
    transports.target("greenhouse");
    const http::TokenBucket* pacer = transports.pacer("greenhouse");
    REQUIRE(pacer != nullptr);
    CHECK(pacer->rate() == 5);
}

TEST_CASE("Services: one Lever session for sends, lookups and publishing; its helper runs once") {
    TempDir dir;
    const std::string runs = dir.file("runs");
    profile::Profile profile;
    profile.lever = profile::LeverSettings{};
    profile.lever->auth = "api_key";
    profile.lever->api_key_command = "echo run >> '" + runs + "'; echo lever-key-abc";
    profile.lever->base_url = "http://127.0.0.1:9";
    profile.lever->perform_as = "user-1";
    const auto settings = settings_of(profile);
    ScriptedTransport base;
    Transports transports(scripted(base));
    Services services(*settings, transports);

    auto first = services.lever();
    REQUIRE(first);
    auto again = services.lever();
    REQUIRE(again);
    CHECK(first->get() == again->get());
    auto target = services.target("lever");
    REQUIRE(target);
    auto same_target = services.target("lever");
    REQUIRE(same_target);
    CHECK(*target == *same_target);
    CHECK((*target)->account() == send::account_key("http://127.0.0.1:9", "user:user-1"));
    CHECK(line_count(runs) == 1);
    CHECK((*first)->auth_mode == "api_key (command)");
    // The session's requests go through the one Lever pacer.
    REQUIRE(transports.pacer("lever") != nullptr);
}

TEST_CASE("Services: Lever without perform_as or credentials is a config error with a hint") {
    profile::Profile profile;
    profile.lever = profile::LeverSettings{};
    profile.lever->base_url = "http://127.0.0.1:9";
    const auto settings = settings_of(profile);
    ScriptedTransport base;
    Transports transports(scripted(base));
    Services services(*settings, transports);
    auto none = services.target("lever");
    REQUIRE_FALSE(none);
    CHECK(none.error().kind == ErrorKind::config);
    CHECK(none.error().hint.kind == Hint::Kind::run);
    CHECK(with_hint(none.error())
          == "Lever is not configured for this profile; run `pj-ats configure lever "
             "--api-key-stdin` or `pj-ats configure lever --oauth --client-id ID`");
}

TEST_CASE("Services: a url source uses the shared transport stack") {
    profile::Profile profile;
    profile.source.kind = "url";
    profile.source.url = "http://127.0.0.1:9/pj";
    profile.source.token = "source-token-xyz";
    const auto settings = settings_of(profile);
    ScriptedTransport base;
    base.respond(404, "{}");
    Transports transports(scripted(base));
    Services services(*settings, transports);
    auto source = services.source();
    REQUIRE(source);
    CHECK_FALSE((*source)->candidate("42"));
    REQUIRE(base.request_count() >= 1);
    CHECK(base.request(0).url == "http://127.0.0.1:9/pj/candidates/42");
    CHECK(test::header_of(base.request(0), "Authorization") == "Bearer source-token-xyz");
}

TEST_CASE(
    "Services: Greenhouse learns its identity once and remembers it through the update hook") {
    profile::Profile profile;
    profile.greenhouse = profile::GreenhouseSettings{};
    profile.greenhouse->email = "ops@example.com";
    profile.greenhouse->api_key = "gh-key-12345";
    profile.greenhouse->base_url = "http://127.0.0.1:9";
    const auto settings = settings_of(profile);
    ScriptedTransport base;
    base.respond(200, R"({"id": 77, "name": "Ops", "first_name": "O", "last_name": "P",
                          "primary_email_address": "ops@example.com"})");
    Transports transports(scripted(base));
    int updates = 0;
    profile::Profile written = profile;
    Services services(
        *settings, transports, [&](const std::function<Status(profile::Profile&)>& change) {
            ++updates;
            return change(written);
        });
    SUBCASE("offline: unknown, no request") {
        auto target = services.target("greenhouse", true);
        REQUIRE(target);
        CHECK((*target)->account().empty());
        CHECK(base.request_count() == 0);
    }
    SUBCASE("online: asked once, remembered") {
        auto target = services.target("greenhouse");
        REQUIRE(target);
        CHECK((*target)->account() == send::account_key("http://127.0.0.1:9", "user:77"));
        CHECK(base.request_count() == 1);
        CHECK(updates == 1);
        REQUIRE(written.greenhouse);
        CHECK(written.greenhouse->account_id == "user:77");
        REQUIRE(services.target("greenhouse"));
        CHECK(base.request_count() == 1);
    }
}
