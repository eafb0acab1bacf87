// CurlTransport against real servers on 127.0.0.1: cpp-httplib for well-behaved ones and a
// raw socket server for connections that drop or stall.

#include "test_http_support.hpp"

#include <pjats/http/http.hpp>

#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using pjats::ErrorKind;
using pjats::http::make_curl_transport;
using pjats::http::Request;
using pjats::http::TransportOptions;
using pjats::http_test::contains;
using pjats::http_test::make_request;
using pjats::http_test::RawServer;
using pjats::http_test::Running;
using pjats::http_test::test_options;
using pjats::http_test::ScratchDir;
using pjats::http_test::UniqueFd;

namespace {


} // namespace

TEST_CASE("http::CurlTransport GET and POST round trip") {
    Running<httplib::Server> srv;
    srv.server().Get("/hello", [](const httplib::Request& req, httplib::Response& res) {
        res.set_header("X-Echo-Agent", req.get_header_value("User-Agent"));
        res.set_header("X-Echo-Custom", req.get_header_value("X-Custom"));
        res.set_header("X-Had-Expect", req.has_header("Expect") ? "yes" : "no");
        res.set_content("hello", "text/plain");
    });
    srv.server().Post("/items", [](const httplib::Request& req, httplib::Response& res) {
        res.status = 201;
        res.set_header("X-Echo-Content-Type", req.get_header_value("Content-Type"));
        res.set_header("X-Had-Expect", req.has_header("Expect") ? "yes" : "no");
        res.set_content("got " + req.body, "application/json");
    });
    srv.start();
    auto transport = make_curl_transport(test_options());

    Request get = make_request("GET", srv.url("/hello"));
    get.headers.push_back({"X-Custom", "custom value"});
    auto got = transport->send(get);
    REQUIRE(got);
    CHECK(got->status == 200);
    CHECK(got->ok());
    CHECK(got->body == "hello");
    CHECK(got->header("x-echo-agent") == pjats::http::default_user_agent());
    CHECK(got->header("X-Echo-Custom") == "custom value");
    CHECK(got->header("content-type") == "text/plain");

    const std::string big(200'000, 'b'); // large enough for libcurl to consider 100-continue
    Request post = make_request("POST", srv.url("/items"), R"({"a":1})" + big);
    post.headers.push_back({"Content-Type", "application/json"});
    auto posted = transport->send(post);
    REQUIRE(posted);
    CHECK(posted->status == 201);
    CHECK(posted->body == std::string("got ") + R"({"a":1})" + big);
    CHECK(posted->header("X-Echo-Content-Type") == "application/json");
    CHECK(posted->header("X-Had-Expect") == "no");
}

TEST_CASE("http::CurlTransport methods and 4xx/5xx answers") {
    Running<httplib::Server> srv;
    const auto echo = [](const httplib::Request& req, httplib::Response& res) {
        res.set_content(req.method + " " + std::to_string(req.body.size()), "text/plain");
    };
    srv.server().Put("/m", echo);
    srv.server().Patch("/m", echo);
    srv.server().Delete("/m", echo);
    srv.server().Get("/missing", [](const httplib::Request&, httplib::Response& res) {
        res.status = 404;
        res.set_content(R"({"error":"nope"})", "application/json");
    });
    srv.server().Get("/broken", [](const httplib::Request&, httplib::Response& res) {
        res.status = 503;
        res.set_header("Retry-After", "3");
    });
    srv.start();
    auto transport = make_curl_transport(test_options());

    auto r = transport->send(make_request("PUT", srv.url("/m"), "abc"));
    REQUIRE(r);
    CHECK(r->body == "PUT 3");

    r = transport->send(make_request("PATCH", srv.url("/m"), "abcdef"));
    REQUIRE(r);
    CHECK(r->body == "PATCH 6");

    r = transport->send(make_request("DELETE", srv.url("/m")));
    REQUIRE(r);
    CHECK(r->body == "DELETE 0");

    r = transport->send(make_request("GET", srv.url("/missing")));
    REQUIRE(r); // an HTTP status is a Response, not an Error
    CHECK(r->status == 404);
    CHECK(r->body == R"({"error":"nope"})");

    r = transport->send(make_request("GET", srv.url("/broken")));
    REQUIRE(r);
    CHECK(r->status == 503);
    CHECK(r->header("retry-after") == "3");
}

TEST_CASE("http::CurlTransport sends headers with empty values") {
    RawServer server(RawServer::Mode::close_after_request);
    auto transport = make_curl_transport(test_options());
    Request request =
        make_request("GET", "http://127.0.0.1:" + std::to_string(server.port()) + "/h");
    request.headers.push_back({"X-Empty", ""});
    request.headers.push_back({"X-Full", "v"});
    auto r = transport->send(request); // the raw server hangs up without answering
    REQUIRE_FALSE(r);
    const std::string received = server.received();
    CAPTURE(received);
    CHECK(contains(received, "\r\nX-Empty:\r\n"));
    CHECK(contains(received, "\r\nX-Full: v\r\n"));
    CHECK(contains(received, "\r\nUser-Agent: pj-ats/"));
    CHECK_FALSE(contains(received, "Expect:"));
}

TEST_CASE("http::CurlTransport rejects header injection and bad methods") {
    auto transport = make_curl_transport(test_options());
    Request request = make_request("GET", "http://127.0.0.1:1/");
    request.headers.push_back({"X-Evil", "a\r\nInjected: yes"});
    auto r = transport->send(request);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::usage);
    CHECK_FALSE(contains(r.error().message, "Injected"));

    r = transport->send(make_request("GET /x HTTP/1.1\r\n", "http://127.0.0.1:1/"));
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::usage);
}

TEST_CASE("http::CurlTransport multipart form with a file") {
    ScratchDir dir;
    const std::string path = dir.file("resume.pdf");
    {
        std::ofstream out(path, std::ios::binary);
        out << "%PDF-1.4 fake resume";
    }
    Running<httplib::Server> srv;
    srv.server().Post("/upload", [](const httplib::Request& req, httplib::Response& res) {
        if (!req.is_multipart_form_data() || !req.has_file("resume") || !req.has_file("name")) {
            res.status = 400;
            return;
        }
        const httplib::MultipartFormData file = req.get_file_value("resume");
        const httplib::MultipartFormData name = req.get_file_value("name");
        res.set_content(name.content + "|" + file.filename + "|" + file.content_type + "|"
                            + file.content,
                        "text/plain");
    });
    srv.start();
    auto transport = make_curl_transport(test_options());

    Request request = make_request("POST", srv.url("/upload"));
    request.form.push_back({"name", "Ada Lovelace", "", "", ""});
    request.form.push_back({"resume", "", path, "ada-resume.pdf", "application/pdf"});
    auto r = transport->send(request);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == "Ada Lovelace|ada-resume.pdf|application/pdf|%PDF-1.4 fake resume");

    SUBCASE("a missing file fails before the request is sent") {
        Request missing = request;
        missing.form[1].file_path = dir.file("does-not-exist.pdf");
        auto e = transport->send(missing);
        REQUIRE_FALSE(e);
        CHECK(e.error().kind == ErrorKind::failure);
        CHECK(contains(e.error().message, "resume"));
        CHECK_FALSE(e.error().outcome_unknown);
    }
}

TEST_CASE("http::CurlTransport reuses one connection") {
    Running<httplib::Server> srv;
    const auto port_echo = [](const httplib::Request& req, httplib::Response& res) {
        res.set_content(std::to_string(req.remote_port), "text/plain");
    };
    srv.server().Get("/port", port_echo);
    srv.server().Post("/port", port_echo);
    srv.start();
    auto transport = make_curl_transport(test_options());

    std::vector<std::string> ports;
    for (const char* method : {"GET", "POST", "GET"}) {
        auto r = transport->send(make_request(method, srv.url("/port"), "x"));
        REQUIRE(r);
        ports.push_back(r->body);
    }
    CHECK(ports[0] == ports[1]);
    CHECK(ports[1] == ports[2]);

    // A second transport has its own connection.
    auto other = make_curl_transport(test_options());
    auto r = other->send(make_request("GET", srv.url("/port")));
    REQUIRE(r);
    CHECK(r->body != ports[0]);
}

TEST_CASE("http::CurlTransport caps the response size") {
    Running<httplib::Server> srv;
    srv.server().Get("/big", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(10'000, 'x'), "application/octet-stream");
    });
    srv.start();

    TransportOptions small = test_options();
    small.max_response_bytes = 1000;
    auto r = make_curl_transport(small)->send(make_request("GET", srv.url("/big")));
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::failure);
    CHECK(contains(r.error().message, "response larger than 1000 bytes"));

    TransportOptions exact = test_options();
    exact.max_response_bytes = 10'000;
    auto ok = make_curl_transport(exact)->send(make_request("GET", srv.url("/big")));
    REQUIRE(ok);
    CHECK(ok->body.size() == 10'000);
}

TEST_CASE("http::CurlTransport connection refused is a known outcome") {
    UniqueFd blocker(::socket(AF_INET, SOCK_STREAM, 0));
    const int port = pjats::http_test::bind_loopback(blocker); // bound, never listening
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/candidates";
    auto transport = make_curl_transport(test_options());
    for (const char* method : {"GET", "POST"}) {
        CAPTURE(std::string(method));
        auto r = transport->send(make_request(method, url, "{\"secret-body-marker\":1}"));
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == ErrorKind::temporary);
        CHECK_FALSE(r.error().outcome_unknown);
        CHECK(r.error().http_status == 0);
        CHECK(contains(r.error().message, "127.0.0.1"));
        CHECK_FALSE(contains(r.error().message, "secret-body-marker"));
    }
}

TEST_CASE("http::CurlTransport connection dropped after the POST: outcome unknown") {
    RawServer server(RawServer::Mode::close_after_request);
    auto transport = make_curl_transport(test_options());
    Request post = make_request("POST",
                                "http://127.0.0.1:" + std::to_string(server.port()) + "/c",
                                "{\"secret-body-marker\":1}");
    post.headers.push_back({"Authorization", "Bearer header-secret-value"});
    auto r = transport->send(post);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::temporary);
    CHECK(r.error().outcome_unknown);
    CHECK(contains(server.received(), "secret-body-marker")); // the body did arrive
    CHECK_FALSE(contains(r.error().message, "secret-body-marker"));
    CHECK_FALSE(contains(r.error().message, "header-secret-value"));
    CHECK_FALSE(contains(r.error().detail, "header-secret-value"));
}

TEST_CASE("http::CurlTransport dropped GET is retryable") {
    RawServer server(RawServer::Mode::close_after_request);
    auto transport = make_curl_transport(test_options());
    auto r = transport->send(
        make_request("GET", "http://127.0.0.1:" + std::to_string(server.port()) + "/c"));
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::temporary);
    CHECK_FALSE(r.error().outcome_unknown);
}

TEST_CASE("http::CurlTransport total timeout") {
    RawServer server(RawServer::Mode::never_answer);
    TransportOptions options = test_options();
    options.total_timeout = 300ms;
    auto transport = make_curl_transport(options);
    auto r = transport->send(
        make_request("POST", "http://127.0.0.1:" + std::to_string(server.port()) + "/slow", "{}"));
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::temporary);
    CHECK(r.error().outcome_unknown);
}

TEST_CASE("http::CurlTransport refuses plain http to remote hosts without touching the network") {
    auto transport = make_curl_transport(test_options());
    for (const char* url : {"http://example.com/", "ftp://127.0.0.1/", "file:///etc/passwd"}) {
        CAPTURE(std::string(url));
        auto r = transport->send(make_request("GET", url));
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == ErrorKind::config);
        CHECK(contains(r.error().message, "https"));
        CHECK_FALSE(r.error().outcome_unknown);
    }
}

TEST_CASE("http::CurlTransport follows same-host redirects") {
    Running<httplib::Server> srv;
    std::atomic<int> loop_hits{0};
    srv.server().Get("/old", [](const httplib::Request&, httplib::Response& res) {
        res.set_redirect("/new", 301);
    });
    srv.server().Get("/new", [](const httplib::Request& req, httplib::Response& res) {
        res.set_content("arrived auth=" + req.get_header_value("Authorization"), "text/plain");
    });
    srv.server().Post("/post-old", [](const httplib::Request&, httplib::Response& res) {
        res.set_redirect("/post-new", 307);
    });
    srv.server().Post("/post-new", [](const httplib::Request& req, httplib::Response& res) {
        res.set_content(req.method + " " + req.body, "text/plain");
    });
    srv.server().Get("/loop", [&loop_hits](const httplib::Request&, httplib::Response& res) {
        ++loop_hits;
        res.set_redirect("/loop", 302);
    });
    srv.server().Get("/see-other", [](const httplib::Request&, httplib::Response& res) {
        res.set_redirect("/new", 303);
    });
    srv.start();
    auto transport = make_curl_transport(test_options());

    Request get = make_request("GET", srv.url("/old"));
    get.headers.push_back({"Authorization", "Bearer t0k"});
    auto r = transport->send(get);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == "arrived auth=Bearer t0k");

    r = transport->send(make_request("POST", srv.url("/post-old"), "payload"));
    REQUIRE(r);
    CHECK(r->body == "POST payload");

    r = transport->send(make_request("GET", srv.url("/loop")));
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::failure);
    CHECK(contains(r.error().message, "too many redirects"));
    CHECK(loop_hits == 6); // the request and 5 redirects

    r = transport->send(make_request("GET", srv.url("/see-other")));
    REQUIRE(r); // 303 is not followed: the caller sees it
    CHECK(r->status == 303);
}

TEST_CASE("http::CurlTransport does not follow cross-host redirects") {
    Running<httplib::Server> srv;
    std::atomic<int> target_hits{0};
    srv.server().Get("/away", [&srv](const httplib::Request&, httplib::Response& res) {
        // Same machine, different host string: credentials must not follow.
        res.set_redirect("http://localhost:" + std::to_string(srv.port()) + "/target?x=1", 302);
    });
    srv.server().Get("/target", [&target_hits](const httplib::Request&, httplib::Response& res) {
        ++target_hits;
        res.set_content("should not be reached", "text/plain");
    });
    srv.start();
    auto transport = make_curl_transport(test_options());

    Request get = make_request("GET", srv.url("/away"));
    get.headers.push_back({"Authorization", "Basic c2VjcmV0Og=="});
    auto r = transport->send(get);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::failure);
    CHECK(contains(r.error().message, "redirected to another host (localhost)"));
    CHECK(contains(r.error().message, "credentials were not forwarded"));
    CHECK_FALSE(contains(r.error().message, "/target"));
    CHECK(target_hits == 0);
}

TEST_CASE("http::CurlTransport trace is redacted") {
    Running<httplib::Server> srv;
    srv.server().Post("/trace", [](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Set-Cookie", "sid=cookie-secret-value; HttpOnly");
        res.set_content(req.body, "application/json");
    });
    srv.start();
    std::vector<std::string> lines;
    TransportOptions options = test_options();
    options.trace = [&lines](std::string_view line) { lines.emplace_back(line); };
    auto transport = make_curl_transport(options);

    Request post = make_request("POST",
                                srv.url("/trace?token=query-secret-value&page=2"),
                                R"({"email":"jane.doe@example.com","api_key":"body-secret-value",)"
                                R"("phone":"+1 555 123 4567"})");
    post.headers.push_back({"Authorization", "Bearer header-secret-value"});
    post.headers.push_back({"On-Behalf-Of", "jane.doe@example.com"});
    post.headers.push_back({"Content-Type", "application/json"});
    auto r = transport->send(post);
    REQUIRE(r);
    REQUIRE_FALSE(lines.empty());

    std::string all;
    for (const std::string& line : lines) {
        all += line + "\n";
        CHECK(line.find('\n') == std::string::npos);
        const bool prefixed =
            line.rfind("> ", 0) == 0 || line.rfind("< ", 0) == 0 || line.rfind("* ", 0) == 0;
        CHECK(prefixed);
    }
    CAPTURE(all);
    for (const char* secret : {"header-secret-value",
                               "query-secret-value",
                               "body-secret-value",
                               "cookie-secret-value",
                               "jane.doe@",
                               "123 4567"}) {
        CAPTURE(std::string(secret));
        CHECK_FALSE(contains(all, secret));
    }
    CHECK(contains(all, "> POST /trace?token=[REDACTED]&page=2 HTTP/1.1\n"));
    CHECK(contains(all, "> Authorization: Bearer [REDACTED]\n"));
    CHECK(contains(all, "> On-Behalf-Of: j***@example.com\n"));
    CHECK(contains(all, "> {\"email\":\"j***@example.com\""));
    CHECK(contains(all, "< HTTP/1.1 200 OK\n"));
    CHECK(contains(all, "< Set-Cookie: [REDACTED]\n"));
    CHECK(contains(all, "< {\"email\":\"j***@example.com\""));
    CHECK(contains(all, "* HTTP 200 in "));
}

TEST_CASE("http::CurlTransport trace cuts long bodies") {
    Running<httplib::Server> srv;
    srv.server().Get("/long", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(5000, 'z'), "text/plain");
    });
    srv.start();
    std::vector<std::string> lines;
    TransportOptions options = test_options();
    options.trace = [&lines](std::string_view line) { lines.emplace_back(line); };
    auto r = make_curl_transport(options)->send(make_request("GET", srv.url("/long")));
    REQUIRE(r);
    CHECK(r->body.size() == 5000);
    bool found = false;
    for (const std::string& line : lines) {
        if (line.rfind("< zzz", 0) == 0) {
            found = true;
            CHECK(line.size() < 2200);
            CHECK(contains(line, "[5000 bytes in total]"));
        }
    }
    CHECK(found);
}
