// Exactly once: a POST whose reused keep-alive connection dies after the server acted on it,
// without a response byte, must not be re-sent by libcurl. Real libcurl against the
// in-process sandbox, whose `drop_after_silent` + `reused_only` fault creates the record
// and then closes the connection silently.

#include "test_http_support.hpp"

#include "http/curl_api.hpp"
#include "http/curl_handles.hpp"

#include <fake_data.hpp>
#include <fake_json.hpp>
#include <sandbox_server.hpp>

#include <pjats/http/http.hpp>
#include <pjats/http/multi_transport.hpp>
#include <pjats/http/url.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

using pjats::ErrorKind;
using pjats::fakes::k_lever_api_key;
using pjats::fakes::k_lever_users;
using pjats::fakes::SandboxOptions;
using pjats::fakes::SandboxServer;
using pjats::http::FormPart;
using pjats::http::Request;
using pjats::http::Transport;
using pjats::http_test::contains;
using pjats::http_test::ScratchDir;
using pjats::http_test::test_options;

namespace {

const char* const k_drop_reused_create =
    R"([{"method": "POST", "path": "/v1/opportunities", "action": "drop_after_silent",
         "reused_only": true}])";

// The sandbox on a free port for one test; no rate limit, no access log.
class Sandbox {
  public:
    Sandbox() {
        SandboxOptions options;
        options.lever_rate = 0;
        m_server = std::make_unique<SandboxServer>(options);
        std::string error;
        if (!m_server->start(error)) {
            throw std::runtime_error("sandbox: " + error);
        }
    }

    std::string url(const std::string& path) const {
        return m_server->base_url() + path;
    }

    void faults(const char* rules) {
        std::string error;
        REQUIRE_MESSAGE(m_server->add_faults(rules, error), error);
    }

    std::string state() const {
        return m_server->state_json();
    }

    // Opportunities the fake has stored, and fault rules not yet fired.
    int opportunities() const {
        return member_size("lever", "opportunities");
    }
    int faults_pending() const {
        rapidjson::Document doc;
        doc.Parse(m_server->state_json().c_str());
        return doc["faults_pending"].GetInt();
    }

  private:
    int member_size(const char* api, const char* list) const {
        rapidjson::Document doc;
        doc.Parse(m_server->state_json().c_str());
        return static_cast<int>(doc[api][list].Size());
    }

    std::unique_ptr<SandboxServer> m_server;
};

std::string lever_auth() {
    return pjats::http::basic_auth(std::string(k_lever_api_key), "");
}

std::string create_url(const Sandbox& sandbox) {
    return sandbox.url("/v1/opportunities?perform_as=" + std::string(k_lever_users[0].id));
}

Request list_users(const Sandbox& sandbox) {
    Request r;
    r.url = sandbox.url("/v1/users");
    r.headers = {{"Authorization", lever_auth()}};
    return r;
}

Request create_json(const Sandbox& sandbox) {
    Request r;
    r.method = "POST";
    r.url = create_url(sandbox);
    r.headers = {{"Authorization", lever_auth()}, {"Content-Type", "application/json"}};
    r.body = R"({"name": "Ada Lovelace", "emails": ["ada@example.com"]})";
    return r;
}

using TransportFactory = std::function<std::unique_ptr<Transport>()>;

struct NamedFactory {
    const char* name;
    TransportFactory make;
};

const NamedFactory k_transports[] = {
    {"curl", [] { return pjats::http::make_curl_transport(test_options()); }},
    {"multi", [] { return pjats::http::make_multi_transport(test_options(), 1); }},
};

// A GET keeps a connection alive, then `create` meets a silent drop on that reused
// connection: one record, and an outcome-unknown Error instead of a second create.
void expect_single_create(const NamedFactory& factory,
                          const std::function<Request(const Sandbox&)>& make_create) {
    CAPTURE(std::string(factory.name));
    Sandbox sandbox;
    sandbox.faults(k_drop_reused_create);
    const Request create = make_create(sandbox);
    const std::unique_ptr<Transport> transport = factory.make();

    auto users = transport->send(list_users(sandbox));
    REQUIRE(users);
    REQUIRE(users->status == 200);

    auto created = transport->send(create);
    CHECK(sandbox.faults_pending() == 0); // the drop fired, so the record exists
    CHECK(sandbox.opportunities() == 1);
    REQUIRE_FALSE(created);
    CHECK(created.error().kind == ErrorKind::temporary);
    CHECK(created.error().outcome_unknown);
    CHECK(contains(created.error().message, "closed before any response"));
    CHECK(contains(created.error().message, "may have been processed"));

    // The transport stays usable: the next create goes through once.
    auto again = transport->send(create);
    REQUIRE(again);
    CHECK(again->status == 201);
    CHECK(sandbox.opportunities() == 2);
}

} // namespace

TEST_CASE("http transports never re-send a POST after a silent drop on a reused connection") {
    for (const NamedFactory& factory : k_transports) {
        expect_single_create(factory, create_json);
    }
}

TEST_CASE("http transports never re-send a multipart POST after a silent drop") {
    ScratchDir dir;
    const std::string resume = dir.file("resume.pdf");
    std::ofstream(resume) << "%PDF-1.4 not really a resume\n";
    const auto make_create = [&resume](const Sandbox& sandbox) {
        Request create;
        create.method = "POST";
        create.url = create_url(sandbox);
        create.headers = {{"Authorization", lever_auth()}};
        create.form = {FormPart{"name", "Ada Lovelace", "", "", ""},
                       FormPart{"emails[]", "ada@example.com", "", "", ""},
                       FormPart{"resumeFile", "", resume, "ada.pdf", "application/pdf"}};
        return create;
    };
    for (const NamedFactory& factory : k_transports) {
        expect_single_create(factory, make_create);
    }
}

TEST_CASE("http transports still deliver multipart bodies and files intact") {
    ScratchDir dir;
    const std::string resume = dir.file("resume.pdf");
    const std::string content(100'000, 'r'); // several reads
    std::ofstream(resume) << content;
    for (const NamedFactory& factory : k_transports) {
        CAPTURE(std::string(factory.name));
        Sandbox sandbox;
        Request create;
        create.method = "POST";
        create.url = create_url(sandbox);
        create.headers = {{"Authorization", lever_auth()}};
        create.form = {FormPart{"name", "Ada Lovelace", "", "", ""},
                       FormPart{"resumeFile", "", resume, "", "application/pdf"}};
        auto created = factory.make()->send(create);
        REQUIRE(created);
        CHECK(created->status == 201);
        rapidjson::Document state;
        state.Parse(sandbox.state().c_str());
        const rapidjson::Value& stored = state["lever"]["opportunities"];
        REQUIRE(stored.Size() == 1);
        const rapidjson::Value& file = stored[0]["resume"];
        REQUIRE(file.IsObject());
        CHECK(std::string(file["filename"].GetString()) == "resume.pdf");
        CHECK(file["size"].GetInt() == 100'000);
    }
}

// Why the one-shot body exists: libcurl's own CURLOPT_POSTFIELDS body is rewound and
// re-sent on a fresh connection after the same silent drop, so the fake ends up with two
// records for one call.
TEST_CASE("plain libcurl with CURLOPT_POSTFIELDS duplicates a POST after a silent drop") {
    namespace detail = pjats::http::detail;
    REQUIRE(detail::load_curl() != nullptr);
    const detail::CurlApi& api = detail::curl();
    Sandbox sandbox;
    sandbox.faults(k_drop_reused_create);
    detail::CurlEasy easy(api.easy_init());
    REQUIRE(easy);
    const std::string auth = "Authorization: " + lever_auth();
    detail::CurlSlist headers;
    REQUIRE(detail::slist_append(headers, auth.c_str()));
    REQUIRE(detail::slist_append(headers, "Content-Type: application/json"));
    const auto discard = +[](char*, std::size_t size, std::size_t count, void*) {
        return size * count;
    };

    const std::string users = sandbox.url("/v1/users");
    api.easy_setopt(easy.get(), CURLOPT_URL, users.c_str());
    api.easy_setopt(easy.get(), CURLOPT_HTTPHEADER, headers.get());
    api.easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, discard);
    REQUIRE(api.easy_perform(easy.get()) == CURLE_OK);

    const std::string url = create_url(sandbox);
    const std::string body = R"({"name": "Ada Lovelace", "emails": ["ada@example.com"]})";
    api.easy_setopt(easy.get(), CURLOPT_URL, url.c_str());
    api.easy_setopt(easy.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    api.easy_setopt(easy.get(), CURLOPT_POSTFIELDS, body.c_str());
    const CURLcode code = api.easy_perform(easy.get());
    long status = 0;
    api.easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
    api.easy_setopt(easy.get(), CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));

    CHECK(code == CURLE_OK); // the caller is told all went well…
    CHECK(status == 201);
    CHECK(sandbox.faults_pending() == 0);
    CHECK(sandbox.opportunities() == 2); // …but the candidate was created twice
}
