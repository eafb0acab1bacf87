#include <pjats/http/http.hpp>
#include <pjats/http/url.hpp>

#include <doctest/doctest.h>

#include <string>

using pjats::ErrorKind;
using pjats::http::base64_encode;
using pjats::http::basic_auth;
using pjats::http::check_base_url;
using pjats::http::is_loopback_host;
using pjats::http::join_url;
using pjats::http::parse_url;
using pjats::http::url_encode;

TEST_CASE("http::parse_url") {
    struct Row {
        const char* text;
        const char* scheme;
        const char* host;
        int port;
        const char* path;
    };

    const Row rows[] = {
        {"https://harvest.greenhouse.io/v1/candidates",
         "https",
         "harvest.greenhouse.io",
         0,
         "/v1/candidates"},
        {"HTTPS://API.Lever.CO", "https", "api.lever.co", 0, ""},
        {"http://127.0.0.1:8080/x?y=1#frag", "http", "127.0.0.1", 8080, "/x?y=1"},
        {"http://[::1]:9000/path", "http", "::1", 9000, "/path"},
        {"https://[2001:DB8::1]/", "https", "2001:db8::1", 0, "/"},
        {"https://example.com?q=1", "https", "example.com", 0, "/?q=1"},
        {"https://user:pw@example.com:8443/a", "https", "example.com", 8443, "/a"},
        {"http://localhost:1/", "http", "localhost", 1, "/"},
        {"https://example.com:65535", "https", "example.com", 65535, ""},
    };
    for (const Row& row : rows) {
        CAPTURE(std::string(row.text));
        auto url = parse_url(row.text);
        REQUIRE(url);
        CHECK(url->scheme == row.scheme);
        CHECK(url->host == row.host);
        CHECK(url->port == row.port);
        CHECK(url->path == row.path);
    }

    const char* bad[] = {
        "example.com/path",
        "://example.com",
        "https://",
        "https:///path",
        "https://example.com:0/",
        "https://example.com:65536/",
        "https://example.com:80a/",
        "https://[::1/",
        "https://[::1]x/",
        "https://[not-an-ip]/",
        "1https://example.com",
        "https://exa mple.com/",
    };
    for (const char* text : bad) {
        CAPTURE(std::string(text));
        auto url = parse_url(text);
        REQUIRE_FALSE(url);
        CHECK(url.error().kind == ErrorKind::config);
    }
}

TEST_CASE("http::parse_url never echoes secrets in its error") {
    auto url = parse_url("https://example.com:99999/x?token=hunter2secret");
    REQUIRE_FALSE(url);
    CHECK(url.error().message.find("hunter2secret") == std::string::npos);
}

TEST_CASE("http::is_loopback_host") {
    for (const char* host : {"127.0.0.1",
                             "127.1.2.3",
                             "127.255.255.255",
                             "::1",
                             "[::1]",
                             "0:0:0:0:0:0:0:1",
                             "::ffff:127.0.0.1",
                             "localhost",
                             "LOCALHOST",
                             "localhost."}) {
        CAPTURE(std::string(host));
        CHECK(is_loopback_host(host));
    }
    for (const char* host : {"128.0.0.1",
                             "10.0.0.1",
                             "0.0.0.0",
                             "::",
                             "::2",
                             "::ffff:10.0.0.1",
                             "localhost.example.com",
                             "mylocalhost",
                             "127.0.0.1.example.com",
                             "",
                             "127.0.0"}) {
        CAPTURE(std::string(host));
        CHECK_FALSE(is_loopback_host(host));
    }
}

TEST_CASE("http::check_base_url") {
    for (const char* ok : {"https://harvest.greenhouse.io/v1",
                           "https://10.0.0.5:8443",
                           "http://127.0.0.1:8080",
                           "http://localhost/api",
                           "http://[::1]:9000/"}) {
        CAPTURE(std::string(ok));
        CHECK(check_base_url(ok, "greenhouse base_url"));
    }

    SUBCASE("plain http to a remote host") {
        auto status = check_base_url("http://example.com/v1", "greenhouse base_url");
        REQUIRE_FALSE(status);
        CHECK(status.error().kind == ErrorKind::config);
        CHECK(status.error().message.find("greenhouse base_url") != std::string::npos);
        CHECK(status.error().message.find("https is required") != std::string::npos);
    }
    SUBCASE("other schemes") {
        for (const char* url : {"ftp://example.com", "file:///etc/passwd", "gopher://x"}) {
            CAPTURE(std::string(url));
            auto status = check_base_url(url, "--url");
            REQUIRE_FALSE(status);
            CHECK(status.error().kind == ErrorKind::config);
            CHECK(status.error().message.find("--url") != std::string::npos);
            CHECK(status.error().message.find("https is required") != std::string::npos);
        }
    }
    SUBCASE("not a URL") {
        auto status = check_base_url("harvest.greenhouse.io", "lever base_url");
        REQUIRE_FALSE(status);
        CHECK(status.error().kind == ErrorKind::config);
        CHECK(status.error().message.find("lever base_url") != std::string::npos);
    }
}

TEST_CASE("http::url_encode") {
    CHECK(url_encode("") == "");
    CHECK(url_encode("AZaz09-._~") == "AZaz09-._~");
    CHECK(url_encode("a b+c/d?e=f&g") == "a%20b%2Bc%2Fd%3Fe%3Df%26g");
    CHECK(url_encode("jane@example.com") == "jane%40example.com");
    CHECK(url_encode("é") == "%C3%A9");
    CHECK(url_encode(std::string("\0\xff", 2)) == "%00%FF");
}

TEST_CASE("http::join_url") {
    CHECK(join_url("https://a.io/v1", "candidates") == "https://a.io/v1/candidates");
    CHECK(join_url("https://a.io/v1/", "/candidates") == "https://a.io/v1/candidates");
    CHECK(join_url("https://a.io/v1//", "//candidates") == "https://a.io/v1/candidates");
    CHECK(join_url("https://a.io", "/x?y=1") == "https://a.io/x?y=1");
}

TEST_CASE("http::base64_encode (RFC 4648 test vectors)") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("foob") == "Zm9vYg==");
    CHECK(base64_encode("fooba") == "Zm9vYmE=");
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
    CHECK(base64_encode(std::string("\xff\xfe\xfd\x00", 4)) == "//79AA==");
}

TEST_CASE("http::basic_auth") {
    // The example from the Greenhouse Harvest/Ingestion documentation.
    CHECK(basic_auth("0d031d8227eafa61dc375a6c2e067e24", "")
          == "Basic MGQwMzFkODIyN2VhZmE2MWRjMzc1YTZjMmUwNjdlMjQ6");
    CHECK(basic_auth("Aladdin", "open sesame") == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
}

TEST_CASE("http::Response::header and default_user_agent") {
    pjats::http::Response response;
    response.headers = {{"Content-Type", "application/json"},
                        {"retry-after", "5"},
                        {"X-Dup", "first"},
                        {"x-dup", "second"}};
    CHECK(response.header("content-type") == "application/json");
    CHECK(response.header("Retry-After") == "5");
    CHECK(response.header("X-DUP") == "first");
    CHECK_FALSE(response.header("Location").has_value());
    CHECK_FALSE(response.header("Content-Typ").has_value());

    CHECK(pjats::http::default_user_agent() == std::string("pj-ats/") + PJATS_VERSION);
}
