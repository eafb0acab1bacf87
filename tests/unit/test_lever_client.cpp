// lever::Client against a scripted transport: request lines, headers, pagination, 401
// refresh, error mapping and create-opportunity bodies.

#include "support/scripted_transport.hpp"
#include "test_lever_support.hpp"

#include <pjats/http/url.hpp>
#include <pjats/lever/client.hpp>

#include <doctest/doctest.h>

#include <chrono>

namespace {

using namespace pjats;
using namespace pjats::lever_test;
using pjats::test::header_of;
using pjats::test::ScriptedTransport;

constexpr const char* k_basic = "Basic a2V5Og=="; // base64("key:")

model::Candidate ada() {
    model::Candidate candidate;
    candidate.id = "42";
    candidate.name = "Ada Lovelace";
    candidate.email = "ada@example.com";
    candidate.headline = "Analyst";
    return candidate;
}

std::string page(const std::string& items, bool has_next, const std::string& next) {
    std::string body = "{\"data\":[" + items + "],\"hasNext\":" + (has_next ? "true" : "false");
    if (!next.empty()) {
        body += ",\"next\":\"" + next + "\"";
    }
    return body + "}";
}

std::string posting_item(const std::string& id) {
    return "{\"id\":\"" + id + "\",\"text\":\"Job " + id + "\",\"state\":\"published\"}";
}

struct Fixture {
    ScriptedTransport transport;
    lever::ApiKeyCredentials credentials{"key"};
    lever::Client client{transport, credentials, "https://api.lever.co/v1/"};
};

} // namespace

TEST_CASE("lever::normalize_base_url") {
    CHECK(lever::normalize_base_url("") == "https://api.lever.co");
    CHECK(lever::normalize_base_url("https://api.lever.co/v1/") == "https://api.lever.co");
    CHECK(lever::normalize_base_url("https://api.sandbox.lever.co/v1")
          == "https://api.sandbox.lever.co");
    CHECK(lever::normalize_base_url("http://127.0.0.1:7000/") == "http://127.0.0.1:7000");
}

TEST_CASE("lever::Client::user_by_email") {
    Fixture f;
    SUBCASE("found") {
        f.transport.respond(200,
                            read_text(reference_fixture("amp-labs-lever-test-data/users.json")));
        auto user = f.client.user_by_email("Sample@gmail.com");
        REQUIRE_MESSAGE(user.has_value(), user.error().message);
        CHECK(user->id == "e0a9f3e3-bd9b-4eb1-8d2c-0d9a572bf641");
        CHECK(user->access_role == "super admin");
        const http::Request request = f.transport.request(0);
        CHECK(request.method == "GET");
        CHECK(request.url == "https://api.lever.co/v1/users?email=Sample%40gmail.com");
        CHECK(header_of(request, "Authorization") == k_basic);
        CHECK(header_of(request, "Accept") == "application/json");
    }
    SUBCASE("none") {
        f.transport.respond(200, R"({"data":[],"hasNext":false})");
        auto user = f.client.user_by_email("nobody@example.com");
        REQUIRE_FALSE(user.has_value());
        CHECK(user.error().kind == ErrorKind::not_found);
    }
    SUBCASE("deactivated users do not count") {
        f.transport.respond(200,
                            R"({"data":[{"id":"u1","email":"x@example.com",)"
                            R"("deactivatedAt":1700000000000}],"hasNext":false})");
        auto user = f.client.user_by_email("x@example.com");
        REQUIRE_FALSE(user.has_value());
        CHECK(user.error().kind == ErrorKind::not_found);
    }
}

TEST_CASE("lever::Client::posting") {
    Fixture f;
    SUBCASE("found") {
        f.transport.respond(200, "{\"data\":" + posting_item("p 1") + "}");
        auto posting = f.client.posting("p 1");
        REQUIRE(posting.has_value());
        CHECK(posting->text == "Job p 1");
        CHECK(f.transport.request(0).url == "https://api.lever.co/v1/postings/p%201");
    }
    SUBCASE("missing") {
        f.transport.respond(404,
                            R"({"code":"ResourceNotFound","message":"postings x was not found"})");
        auto posting = f.client.posting("x");
        REQUIRE_FALSE(posting.has_value());
        CHECK(posting.error().kind == ErrorKind::not_found);
        CHECK(posting.error().http_status == 404);
        CHECK(posting.error().message.find("ResourceNotFound: postings x was not found")
              != std::string::npos);
    }
}

TEST_CASE("lever::Client::postings walks every page") {
    Fixture f;
    const std::string token1 = "%5B1%2C1491435120000%2C%225599cc20%22%5D";
    const std::string token2 = "%5B2%2C1491435120001%2C%22aa%22%5D";
    f.transport.respond(200, page(posting_item("a") + "," + posting_item("b"), true, token1));
    f.transport.respond(200, page(posting_item("c"), true, token2));
    f.transport.respond(200, page(posting_item("d"), false, ""));

    auto postings = f.client.postings("published");
    REQUIRE_MESSAGE(postings.has_value(), postings.error().message);
    REQUIRE(postings->size() == 4);
    CHECK((*postings)[0].id == "a");
    CHECK((*postings)[3].id == "d");
    REQUIRE(f.transport.request_count() == 3);
    CHECK(f.transport.request(0).url
          == "https://api.lever.co/v1/postings?state=published&limit=100");
    // The opaque token is passed back as an ordinary (percent-encoded) query value.
    CHECK(f.transport.request(1).url
          == "https://api.lever.co/v1/postings?state=published&limit=100&offset="
                 + http::url_encode(token1));
    CHECK(f.transport.request(1).url.find("offset=%255B1%252C") != std::string::npos);
    CHECK(f.transport.request(2).url.find("&offset=" + http::url_encode(token2))
          != std::string::npos);
}

TEST_CASE("lever::Client::postings without a state") {
    Fixture f;
    f.transport.respond(200, page(posting_item("a"), false, ""));
    REQUIRE(f.client.postings("").has_value());
    CHECK(f.transport.request(0).url == "https://api.lever.co/v1/postings?limit=100");
}

TEST_CASE("lever::Client::postings guards against broken pagination") {
    Fixture f;
    SUBCASE("a repeated token") {
        f.transport.respond(200, page(posting_item("a"), true, "t1"));
        f.transport.respond(200, page(posting_item("b"), true, "t2"));
        f.transport.respond(200, page(posting_item("c"), true, "t1"));
        auto postings = f.client.postings("published");
        REQUIRE_FALSE(postings.has_value());
        CHECK(postings.error().kind == ErrorKind::decode);
        CHECK(f.transport.request_count() == 3);
    }
    SUBCASE("hasNext without a token") {
        f.transport.respond(200, page(posting_item("a"), true, ""));
        auto postings = f.client.postings("published");
        REQUIRE_FALSE(postings.has_value());
        CHECK(postings.error().kind == ErrorKind::decode);
    }
    SUBCASE("endless pages") {
        int served = 0;
        f.transport.on_send(
            [&served](const http::Request&) -> std::optional<Result<http::Response>> {
                http::Response response;
                response.status = 200;
                response.body = page("", true, "token-" + std::to_string(served++));
                return Result<http::Response>(response);
            });
        auto postings = f.client.postings("published");
        REQUIRE_FALSE(postings.has_value());
        CHECK(postings.error().kind == ErrorKind::decode);
        CHECK(served == lever::k_max_pages);
    }
    SUBCASE("an error page stops the walk") {
        f.transport.respond(200, page(posting_item("a"), true, "t1"));
        f.transport.respond(503, "");
        auto postings = f.client.postings("published");
        REQUIRE_FALSE(postings.has_value());
        CHECK(postings.error().kind == ErrorKind::temporary);
        CHECK_FALSE(postings.error().outcome_unknown); // a GET changes nothing
    }
}

TEST_CASE("lever::Client::postings follows the recorded pagination trace when present") {
    const std::string path = reference_fixture("lever/derived/opportunities_pagination_trace.json");
    if (!std::filesystem::exists(path)) {
        MESSAGE("no pagination trace at " << path << "; skipped");
        return;
    }
    // The trace lists pages with their raw `next` tokens; replay them as postings pages.
    const std::string trace = read_text(path);
    std::vector<std::string> tokens;
    for (std::size_t at = trace.find("\"next\""); at != std::string::npos;
         at = trace.find("\"next\"", at + 1)) {
        const std::size_t open = trace.find('"', trace.find(':', at) + 1);
        const std::size_t close = trace.find('"', open + 1);
        if (open == std::string::npos || close == std::string::npos) {
            break;
        }
        const std::string token = trace.substr(open + 1, close - open - 1);
        if (token.rfind("%5B", 0) == 0 && (tokens.empty() || tokens.back() != token)) {
            tokens.push_back(token);
        }
    }
    REQUIRE_FALSE(tokens.empty());
    Fixture f;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        f.transport.respond(200, page(posting_item(std::to_string(i)), true, tokens[i]));
    }
    f.transport.respond(200, page(posting_item("last"), false, ""));
    auto postings = f.client.postings("");
    REQUIRE_MESSAGE(postings.has_value(), postings.error().message);
    CHECK(postings->size() == tokens.size() + 1);
    CHECK(f.transport.pending() == 0);
}

TEST_CASE("lever::Client::create_opportunity sends JSON") {
    Fixture f;
    lever::OpportunityOptions options;
    options.posting_id = "posting-1";
    f.transport.respond(201,
                        R"({"data":{"id":"opp-1","contact":"contact-1","stage":"lead-new",)"
                        R"("unknown":{"x":1}},"deduped":true})");
    auto created = f.client.create_opportunity(options, ada(), "user 1");
    REQUIRE_MESSAGE(created.has_value(), created.error().message);
    CHECK(created->id == "opp-1");
    CHECK(created->contact == "contact-1");
    CHECK(created->deduped);
    const http::Request request = f.transport.request(0);
    CHECK(request.method == "POST");
    CHECK(request.url == "https://api.lever.co/v1/opportunities?perform_as=user%201");
    CHECK(header_of(request, "Content-Type") == "application/json");
    CHECK(header_of(request, "Authorization") == k_basic);
    CHECK(request.body == lever::opportunity_json(ada(), options));
    CHECK(request.body.find("\"Purpose Jobs\"") != std::string::npos);
    CHECK(request.form.empty());
    CHECK_FALSE(request.is_idempotent());
}

TEST_CASE("lever::Client::create_opportunity uploads the resume as multipart") {
    Fixture f;
    TempDir dir;
    model::Candidate candidate = ada();
    candidate.resume_file = dir.file("cv.pdf");
    write_text(candidate.resume_file, "%PDF-1.4 test");
    f.transport.respond(201, R"({"data":{"id":"opp-2","contact":"c"},"deduped":false})");
    auto created = f.client.create_opportunity({}, candidate, "user-1");
    REQUIRE_MESSAGE(created.has_value(), created.error().message);
    CHECK_FALSE(created->deduped);
    const http::Request request = f.transport.request(0);
    CHECK(request.url == "https://api.lever.co/v1/opportunities?perform_as=user-1&parse=true");
    REQUIRE_FALSE(request.form.empty());
    bool has_file = false;
    for (const http::FormPart& part : request.form) {
        if (part.name == "resumeFile") {
            has_file = true;
            CHECK(part.file_path == candidate.resume_file);
        }
    }
    CHECK(has_file);
    CHECK(header_of(request, "Content-Type").empty()); // the transport sets the boundary
}

TEST_CASE("lever::Client::create_opportunity refuses bad input before sending") {
    Fixture f;
    SUBCASE("a résumé file that does not exist") {
        model::Candidate candidate = ada();
        candidate.resume_file = "/nonexistent/pjats/cv.pdf";
        auto created = f.client.create_opportunity({}, candidate, "user-1");
        REQUIRE_FALSE(created.has_value());
        CHECK(created.error().kind == ErrorKind::validation);
        CHECK(created.error().field == "meta.purposeJobs.resumeFile");
    }
    SUBCASE("no perform_as user") {
        auto created = f.client.create_opportunity({}, ada(), "");
        REQUIRE_FALSE(created.has_value());
        CHECK(created.error().kind == ErrorKind::config);
    }
    SUBCASE("an invalid origin") {
        lever::OpportunityOptions options;
        options.origin = "magic";
        auto created = f.client.create_opportunity(options, ada(), "user-1");
        REQUIRE_FALSE(created.has_value());
        CHECK(created.error().kind == ErrorKind::usage);
    }
    CHECK(f.transport.request_count() == 0);
}

TEST_CASE("lever::Client::create_opportunity error outcomes") {
    Fixture f;
    SUBCASE("400 is a validation error quoting Lever") {
        f.transport.respond(400,
                            R"({"code":"BadRequestError","message":"Missing perform_as )"
                            R"(parameter. Please specify a user for which to perform this )"
                            R"(create."})");
        auto created = f.client.create_opportunity({}, ada(), "user-1");
        REQUIRE_FALSE(created.has_value());
        CHECK(created.error().kind == ErrorKind::validation);
        CHECK(created.error().message.rfind("Lever rejected the request: BadRequestError: "
                                            "Missing perform_as parameter",
                                            0)
              == 0);
        CHECK_FALSE(created.error().outcome_unknown);
    }
    SUBCASE("500 leaves the outcome unknown") {
        f.transport.respond(500, "");
        auto created = f.client.create_opportunity({}, ada(), "user-1");
        REQUIRE_FALSE(created.has_value());
        CHECK(created.error().kind == ErrorKind::temporary);
        CHECK(created.error().outcome_unknown);
    }
    SUBCASE("503 was not processed") {
        f.transport.respond(503, "");
        auto created = f.client.create_opportunity({}, ada(), "user-1");
        REQUIRE_FALSE(created.has_value());
        CHECK(created.error().kind == ErrorKind::temporary);
        CHECK_FALSE(created.error().outcome_unknown);
    }
    SUBCASE("a transport failure keeps its outcome flag") {
        Error dropped = make_error(ErrorKind::temporary, "connection reset");
        dropped.outcome_unknown = true;
        f.transport.fail(dropped);
        auto created = f.client.create_opportunity({}, ada(), "user-1");
        REQUIRE_FALSE(created.has_value());
        CHECK(created.error().kind == ErrorKind::temporary);
        CHECK(created.error().outcome_unknown);
        CHECK(created.error().message.find("connection reset") != std::string::npos);
    }
    SUBCASE("an undecodable 201 leaves the outcome unknown") {
        f.transport.respond(201, R"({"data":{"contact":"c"}})");
        auto created = f.client.create_opportunity({}, ada(), "user-1");
        REQUIRE_FALSE(created.has_value());
        CHECK(created.error().kind == ErrorKind::decode);
        CHECK(created.error().outcome_unknown);
    }
}

TEST_CASE("lever::Client::find_opportunities") {
    Fixture f;
    const std::string first_page =
        read_text(reference_fixture("amp-labs-lever-test-data/opportunities.json"));
    f.transport.respond(200, first_page);
    f.transport.respond(200, page(R"({"id":"opp-9","contact":"c9","createdAt":5})", false, ""));
    auto found = f.client.find_opportunities("ada@example.com", "Purpose Jobs", "posting-1");
    REQUIRE_MESSAGE(found.has_value(), found.error().message);
    REQUIRE(found->size() == 2);
    CHECK(found->front().id == "2087af84-f146-4535-9368-2309e33e049f");
    CHECK(found->back().id == "opp-9");
    CHECK(f.transport.request(0).url
          == "https://api.lever.co/v1/opportunities?email=ada%40example.com&tag=Purpose%20Jobs"
             "&posting_id=posting-1&limit=100");
    CHECK(f.transport.request(1).url.find("&offset=%255B1%252C1750233409740%252C%2522")
          != std::string::npos);
}

TEST_CASE("lever::Client refreshes OAuth credentials once after a 401") {
    TempDir dir;
    const std::string config = dir.file("config.toml");
    EnvGuard no_env_secret("PJ_ATS_LEVER_CLIENT_SECRET", std::nullopt);
    write_oauth_config(config, oauth_settings("access-1", "refresh-1", k_now + 3600));
    ScriptedTransport auth_transport;
    lever::OAuthCredentials credentials(config, "default", auth_transport, [] { return k_now; });
    ScriptedTransport api;
    lever::Client client(api, credentials, "");

    SUBCASE("the retry succeeds, after the new refresh token is on disk") {
        api.respond(401, R"({"code":"UnauthorizedError","message":"Invalid token"})");
        auth_transport.respond(200, token_json("access-2", "refresh-2"));
        std::string refresh_on_disk_when_used;
        api.on_send([&](const http::Request& request) -> std::optional<Result<http::Response>> {
            if (header_of(request, "Authorization") == "Bearer access-2") {
                refresh_on_disk_when_used = stored_lever(config).refresh_token;
                http::Response response;
                response.status = 200;
                response.body = R"({"data":{"id":"p","text":"T"}})";
                return Result<http::Response>(response);
            }
            return std::nullopt;
        });
        auto posting = client.posting("p");
        REQUIRE_MESSAGE(posting.has_value(), posting.error().message);
        CHECK(api.request_count() == 2);
        CHECK(header_of(api.request(0), "Authorization") == "Bearer access-1");
        CHECK(header_of(api.request(1), "Authorization") == "Bearer access-2");
        CHECK(refresh_on_disk_when_used == "refresh-2");
    }
    SUBCASE("a second 401 is an auth error, not a loop") {
        api.respond(401, R"({"code":"UnauthorizedError","message":"Invalid token"})");
        api.respond(401, R"({"code":"UnauthorizedError","message":"Invalid token"})");
        auth_transport.respond(200, token_json("access-2", "refresh-2"));
        auto posting = client.posting("p");
        REQUIRE_FALSE(posting.has_value());
        CHECK(posting.error().kind == ErrorKind::auth);
        CHECK(api.request_count() == 2);
    }
    SUBCASE("a refreshed token whose short lifetime is over is refreshed again") {
        // Tokens living 2 s: each is stale (inside the refresh margin) as soon as it is
        // issued, so a 401 to one may be its expiry while the request waited.
        api.respond(401, R"({"code":"UnauthorizedError","message":"The access token has expired"})");
        api.respond(401, R"({"code":"UnauthorizedError","message":"The access token has expired"})");
        auth_transport.respond(200, token_json("access-2", "refresh-2", 2));
        auth_transport.respond(200, token_json("access-3", "refresh-3", 2));
        api.on_send([&](const http::Request& request) -> std::optional<Result<http::Response>> {
            if (header_of(request, "Authorization") == "Bearer access-3") {
                http::Response response;
                response.status = 200;
                response.body = R"({"data":{"id":"p","text":"T"}})";
                return Result<http::Response>(response);
            }
            return std::nullopt;
        });
        auto posting = client.posting("p");
        REQUIRE_MESSAGE(posting.has_value(), posting.error().message);
        CHECK(api.request_count() == 3);
        CHECK(header_of(api.request(2), "Authorization") == "Bearer access-3");
    }
    SUBCASE("a rejected refresh token ends it") {
        api.respond(401, "");
        auth_transport.respond(400, R"({"error":"invalid_grant"})");
        auto posting = client.posting("p");
        REQUIRE_FALSE(posting.has_value());
        CHECK(posting.error().kind == ErrorKind::auth);
        CHECK(with_hint(posting.error()).find("configure lever --oauth") != std::string::npos);
        CHECK(api.request_count() == 1);
    }
}

TEST_CASE("lever::Client does not retry a 401 with an API key") {
    Fixture f;
    f.transport.respond(401,
                        R"({"code":"UnauthorizedError","message":"The request requires )"
                        R"(authentication."})");
    auto posting = f.client.posting("p");
    REQUIRE_FALSE(posting.has_value());
    CHECK(posting.error().kind == ErrorKind::auth);
    CHECK(posting.error().message.find("UnauthorizedError") != std::string::npos);
    CHECK(f.transport.request_count() == 1);
}

TEST_CASE("lever::Client takes a rate-limit token for every request") {
    ScriptedTransport transport;
    lever::ApiKeyCredentials credentials("key");
    const auto fixed = std::chrono::steady_clock::now();
    // Two tokens, refilled only every ~17 minutes: a third reservation must wait.
    http::TokenBucket bucket(0.001, 2, [fixed] { return fixed; });
    lever::Client client(transport, credentials, "", &bucket);
    transport.respond(200, R"({"data":{"id":"a"}})");
    transport.respond(200, R"({"data":{"id":"b"}})");
    REQUIRE(client.posting("a").has_value());
    SUBCASE("one call took one token") {
        CHECK(bucket.reserve().count() == 0);
    }
    SUBCASE("two calls took both") {
        REQUIRE(client.posting("b").has_value());
        CHECK(bucket.reserve().count() > 0);
    }
}

TEST_CASE("lever::error_from_response") {
    struct Row {
        long status;
        ErrorKind kind;
    };

    const Row rows[] = {{400, ErrorKind::validation},
                        {422, ErrorKind::validation},
                        {401, ErrorKind::auth},
                        {403, ErrorKind::auth},
                        {404, ErrorKind::not_found},
                        {429, ErrorKind::temporary},
                        {500, ErrorKind::temporary},
                        {503, ErrorKind::temporary},
                        {418, ErrorKind::failure}};
    for (const Row& row : rows) {
        http::Response response;
        response.status = row.status;
        response.body = R"({"code":"SomeError","message":"details here"})";
        const Error error = lever::error_from_response(response, "test call");
        CHECK_MESSAGE(error.kind == row.kind, "status " << row.status);
        CHECK(error.http_status == row.status);
        CHECK(error.message.find("SomeError: details here") != std::string::npos);
    }
    SUBCASE("Lever's recorded not-found body") {
        http::Response response;
        response.status = 404;
        response.body = read_text(
            reference_fixture("amp-labs-lever-test-data/delete-missing-requisition-fields.json"));
        const Error error = lever::error_from_response(response, "requisition field");
        CHECK(error.kind == ErrorKind::not_found);
        CHECK(error.message.find("NotFoundError: That requisition field doesn't exist")
              != std::string::npos);
    }
    SUBCASE("a body that is not JSON is not quoted") {
        http::Response response;
        response.status = 502;
        response.body = "<html>Bad gateway</html>";
        const Error error = lever::error_from_response(response, "postings");
        CHECK(error.message.find("<html>") == std::string::npos);
        CHECK(error.message.find("HTTP 502") != std::string::npos);
    }
    SUBCASE("candidate emails in Lever's message are masked") {
        http::Response response;
        response.status = 400;
        response.body = R"({"code":"BadRequestError","message":"Invalid email ada@example.com"})";
        const Error error = lever::error_from_response(response, "create opportunity");
        CHECK(error.message.find("ada@example.com") == std::string::npos);
    }
}
