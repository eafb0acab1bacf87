// The secret registry: derived forms, scrubbing, short values ignored, thread safety, and
// the output boundaries in lib that apply it (redact_text, the trace, API client errors).

#include "support/scripted_transport.hpp"

#include <pjats/greenhouse/client.hpp>
#include <pjats/http/redact.hpp>
#include <pjats/http/secrets.hpp>
#include <pjats/http/url.hpp>
#include <pjats/lever/client.hpp>
#include <pjats/lever/credentials.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace pjats;

// Every test starts and ends with an empty registry, so that secrets registered here
// cannot change the output other tests expect.
struct CleanRegistry {
    CleanRegistry() {
        http::clear_secrets_for_testing();
    }

    ~CleanRegistry() {
        http::clear_secrets_for_testing();
    }

    CleanRegistry(const CleanRegistry&) = delete;
    CleanRegistry& operator=(const CleanRegistry&) = delete;
};

constexpr const char* k_key = "gh_live_0d031d8227eafa61dc37";

std::string strip_padding(std::string text) {
    while (!text.empty() && text.back() == '=') {
        text.pop_back();
    }
    return text;
}

// The ways a server could echo `secret` back.
std::vector<std::string> echoed_forms(const std::string& secret) {
    const std::string basic = http::base64_encode(secret + ":");
    return {secret,
            "Basic " + basic,
            basic,
            strip_padding(basic),
            http::base64_encode(":" + secret),
            http::base64_encode(secret),
            strip_padding(http::base64_encode(secret)),
            "Bearer " + secret,
            http::url_encode(secret + "/+=")};
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("http::secret_forms") {
    const std::vector<std::string> forms = http::secret_forms("abc+/def=ghi");
    const auto has = [&forms](const std::string& form) {
        return std::find(forms.begin(), forms.end(), form) != forms.end();
    };
    CHECK(has("abc+/def=ghi"));
    CHECK(has("abc%2B%2Fdef%3Dghi"));
    CHECK(has("abc%2b%2fdef%3dghi"));
    CHECK(has("abc+\\/def=ghi")); // JSON with an escaped solidus
    CHECK(has(http::base64_encode("abc+/def=ghi:")));
    CHECK(has(http::base64_encode(":abc+/def=ghi")));
    CHECK(has(http::base64_encode("abc+/def=ghi")));
    CHECK(has(strip_padding(http::base64_encode("abc+/def=ghi:"))));
    CHECK(std::is_sorted(forms.begin(), forms.end(), [](const auto& a, const auto& b) {
        return a.size() > b.size();
    }));
    CHECK(std::set<std::string>(forms.begin(), forms.end()).size() == forms.size());
    CHECK(http::secret_forms("short").empty());
}

TEST_CASE("http::scrub_secrets removes every form of a registered secret") {
    CleanRegistry clean;
    const std::string before = std::string("key ") + k_key;
    CHECK(http::scrub_secrets(before) == before); // nothing registered yet

    http::register_secret(k_key);
    for (const std::string& form : echoed_forms(k_key)) {
        const std::string text = "{\"message\":\"you sent " + form + ", which is wrong\"}";
        const std::string scrubbed = http::scrub_secrets(text);
        CAPTURE(form);
        CHECK_FALSE(contains(scrubbed, k_key));
        CHECK_FALSE(contains(scrubbed, strip_padding(http::base64_encode(std::string(k_key)))));
        CHECK(contains(scrubbed, "[REDACTED]"));
        CHECK(contains(scrubbed, "you sent "));
        CHECK(contains(scrubbed, ", which is wrong"));
    }
    CHECK(http::scrub_secrets(std::string("Basic ") + http::base64_encode(std::string(k_key) + ":"))
          == "Basic [REDACTED]");
    CHECK(http::scrub_secrets(std::string("Authorization: Bearer ") + k_key)
          == "Authorization: Bearer [REDACTED]");
    CHECK(http::scrub_secrets(std::string(k_key) + k_key) == "[REDACTED][REDACTED]");
    CHECK(http::scrub_secrets("nothing secret here") == "nothing secret here");
}

TEST_CASE("http::register_secret ignores empty, short and repeated values") {
    CleanRegistry clean;
    http::register_secret("");
    http::register_secret("1234567"); // 7 characters
    http::register_secret("secret");
    CHECK(http::registered_secret_count() == 0);
    CHECK(http::scrub_secrets("id 1234567: secret stuff") == "id 1234567: secret stuff");

    http::register_secret("12345678"); // 8 characters: registered
    http::register_secret("12345678");
    CHECK(http::registered_secret_count() == 1);
    CHECK(http::scrub_secrets("id 12345678") == "id [REDACTED]");
}

TEST_CASE("http::scrub_error") {
    CleanRegistry clean;
    http::register_secret(k_key);
    Error error = make_error(ErrorKind::auth, std::string("bad key ") + k_key, k_key);
    error.detail = std::string("detail ") + k_key;
    http::scrub_error(error);
    CHECK(error.message == "bad key [REDACTED]");
    CHECK(error.field == "[REDACTED]");
    CHECK(error.detail == "detail [REDACTED]");
}

TEST_CASE("http::register_secret and scrub_secrets from many threads") {
    CleanRegistry clean;
    constexpr int k_threads = 8;
    constexpr int k_rounds = 50;
    std::atomic<int> leaks{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < k_threads; ++t) {
        threads.emplace_back([t, &leaks] {
            for (int i = 0; i < k_rounds; ++i) {
                const std::string secret =
                    "thread-" + std::to_string(t) + "-secret-" + std::to_string(i);
                http::register_secret(secret);
                // Once registered, a secret never comes out again, whatever other threads do.
                const std::string out =
                    http::scrub_secrets("[" + secret + "] " + http::basic_auth(secret, ""));
                if (contains(out, secret) || out != "[[REDACTED]] Basic [REDACTED]") {
                    ++leaks;
                }
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    CHECK(leaks.load() == 0);
    CHECK(http::registered_secret_count() == static_cast<std::size_t>(k_threads * k_rounds));
}

TEST_CASE("http::redact_text scrubs registered secrets") {
    CleanRegistry clean;
    http::register_secret(k_key);
    const std::string text =
        std::string("{\"echo\":\"") + k_key + "\",\"b64\":\"" + http::base64_encode(k_key) + "\"}";
    const std::string redacted = http::redact_text(text);
    CHECK_FALSE(contains(redacted, k_key));
    CHECK_FALSE(contains(redacted, strip_padding(http::base64_encode(k_key))));
}

TEST_CASE("greenhouse::error_from_response scrubs an echoed key") {
    CleanRegistry clean;
    test::ScriptedTransport transport;
    greenhouse::Client client(transport, "http://127.0.0.1:9", k_key, "r@example.com");
    const std::string basic = http::basic_auth(k_key, "");
    const std::string key = k_key;
    transport.respond(401,
                      "{\"errors\":[{\"message\":\"bad credentials " + basic + " (" + key
                          + ")\",\"field\":\"" + key + "\"}]}");
    auto jobs = client.jobs();
    REQUIRE_FALSE(jobs.has_value());
    CHECK(jobs.error().kind == ErrorKind::auth);
    for (const std::string& form : echoed_forms(k_key)) {
        CAPTURE(form);
        CHECK_FALSE(contains(jobs.error().message, form));
        CHECK_FALSE(contains(jobs.error().field, form));
    }
    CHECK(contains(jobs.error().message, "bad credentials Basic [REDACTED]"));
}

TEST_CASE("lever::Client errors scrub an echoed key") {
    CleanRegistry clean;
    test::ScriptedTransport transport;
    lever::ApiKeyCredentials credentials(k_key);
    lever::Client client(transport, credentials, "http://127.0.0.1:9");
    transport.respond(500,
                      std::string(R"({"code":"InternalError","message":"key )") + k_key + " header "
                          + http::basic_auth(k_key, "") + " b64 " + http::base64_encode(k_key)
                          + R"("})");
    auto postings = client.postings("");
    REQUIRE_FALSE(postings.has_value());
    for (const std::string& form : echoed_forms(k_key)) {
        CAPTURE(form);
        CHECK_FALSE(contains(postings.error().message, form));
    }
    CHECK(contains(postings.error().message, "InternalError"));
}
