#include <pjats/http/redact.hpp>

#include <doctest/doctest.h>

#include <string>

using pjats::http::mask_email;
using pjats::http::redact_header;
using pjats::http::redact_text;
using pjats::http::redact_url;

namespace {

// True when any `window`-byte piece of `secret` appears in `text`.
bool leaks(const std::string& text, const std::string& secret, std::size_t window = 6) {
    for (std::size_t i = 0; i + window <= secret.size(); ++i) {
        if (text.find(secret.substr(i, window)) != std::string::npos) {
            return true;
        }
    }
    return false;
}

struct Row {
    const char* input;
    const char* expected;
};

} // namespace

TEST_CASE("http::mask_email") {
    CHECK(mask_email("john@example.com") == "j***@example.com");
    CHECK(mask_email("j@example.com") == "j***@example.com");
    CHECK(mask_email("Jane.Doe+ats@mail.example.co.uk") == "J***@mail.example.co.uk");
    CHECK(mask_email("@example.com") == "***@example.com");
    CHECK(mask_email("not-an-email") == "***");
}

TEST_CASE("http::redact_header") {
    CHECK(redact_header("Authorization", "Basic MGQwMzFkODIyN2VhZmE2MWRj") == "Basic [REDACTED]");
    CHECK(redact_header("authorization", "Bearer eyJhbGciOi.abc.def") == "Bearer [REDACTED]");
    CHECK(redact_header("Proxy-Authorization", "Basic Zm9vOmJhcg==") == "Basic [REDACTED]");
    CHECK(redact_header("Authorization", "rawsecretwithoutscheme") == "[REDACTED]");
    CHECK(redact_header("Cookie", "session=abc123") == "[REDACTED]");
    CHECK(redact_header("Set-Cookie", "sid=abc; HttpOnly") == "[REDACTED]");
    CHECK(redact_header("X-Api-Key", "k-123456") == "[REDACTED]");
    CHECK(redact_header("X-Auth-Token", "t-123456") == "[REDACTED]");
    CHECK(redact_header("X-Client-Secret", "s-123456") == "[REDACTED]");
    CHECK(redact_header("On-Behalf-Of", "jane.doe@example.com") == "j***@example.com");
    CHECK(redact_header("On-Behalf-Of", "4080") == "4080");
    CHECK(redact_header("Location", "https://a.io/cb?code=XYZ123&state=s1")
          == "https://a.io/cb?code=[REDACTED]&state=[REDACTED]");
    // Ordinary headers stay readable: numbers are not mistaken for phone numbers.
    CHECK(redact_header("Content-Length", "123456789") == "123456789");
    CHECK(redact_header("Content-Type", "application/json") == "application/json");
    CHECK(redact_header("Date", "Sun, 06 Nov 1994 08:49:37 GMT")
          == "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST_CASE("http::redact_text emails and phone numbers") {
    const Row rows[] = {
        {"contact john@example.com today", "contact j***@example.com today"},
        {"a@b.co,c.d@e.org", "a***@b.co,c***@e.org"},
        {"<Jane.Doe+tag@sub.example.com>", "<J***@sub.example.com>"},
        {"user@localhost is not an address", "user@localhost is not an address"},
        {"call +1 (555) 123-4567 now", "call +* (***) ***-**67 now"},
        {"555.123.4567", "***.***.**67"},
        {"+44 20 7946 0958", "+** ** **** **58"},
        {"5551234", "*****34"},
        {R"("phone":"+15551234567")", R"("phone":"+*********67")"},
        {"order 123456 shipped", "order 123456 shipped"},
        {"12345678901234567890", "12345678901234567890"},
        {R"({"id": 4012345678, "n":1})", R"({"id": 4012345678, "n":1})"},
        {"host 192.168.100.200 port 443", "host 192.168.100.200 port 443"},
        {"Connected to 127.0.0.1 (127.0.0.1) port 58685",
         "Connected to 127.0.0.1 (127.0.0.1) port 58685"},
        {"1.555.123.4567", "*.***.***.**67"},
        {"10.20.30.40.50", "**.**.**.**.50"},
        {"uuid 550e8400-e29b-41d4-a716-446655440000", "uuid 550e8400-e29b-41d4-a716-446655440000"},
        {"2024-01-15T10:20:30Z", "2024-01-15T10:20:30Z"},
        {"v1.2345678", "v1.2345678"},
        {"", ""},
    };
    for (const Row& row : rows) {
        CAPTURE(std::string(row.input));
        CHECK(redact_text(row.input) == row.expected);
    }
}

TEST_CASE("http::redact_text secrets") {
    const Row rows[] = {
        {R"({"access_token":"abc.def","expires_in":3600})",
         R"({"access_token":"[REDACTED]","expires_in":3600})"},
        {R"({"refresh_token" : "r1", "token_type":"Bearer"})",
         R"({"refresh_token" : "[REDACTED]", "token_type":"Bearer"})"},
        {R"({"client_secret":"s","client_id":"id1"})",
         R"({"client_secret":"[REDACTED]","client_id":"id1"})"},
        {R"({"api_key":"k","apiKey":"k2","API_KEY":"k3"})",
         R"({"api_key":"[REDACTED]","apiKey":"[REDACTED]","API_KEY":"[REDACTED]"})"},
        {R"({"password":"p\"w","name":"x"})", R"({"password":"[REDACTED]","name":"x***"})"},
        {R"({"code": 123456})", R"({"code": [REDACTED]})"},
        {R"({"token":""})", R"({"token":""})"},
        {R"({"secret":"unterminated)", R"({"secret":"[REDACTED])"},
        {R"({"note":"the word token is fine","code":"c0de"})",
         R"({"note":"the word token is fine","code":"[REDACTED]"})"},
        {R"({"body":"{\"access_token\":\"inner\"}"})",
         R"({"body":"{\"access_token\":\"[REDACTED]\"}"})"},
        {"grant_type=authorization_code&code=AUTH123&client_secret=S3&redirect_uri=x",
         "grant_type=authorization_code&code=[REDACTED]&client_secret=[REDACTED]&redirect_uri=x"},
        {"refresh_token=RT1", "refresh_token=[REDACTED]"},
        {"Authorization: Bearer abc.def-ghi", "Authorization: Bearer [REDACTED]"},
        {"Basic MGQwMzFkODIyN2VhZmE2MWRj=", "Basic [REDACTED]"},
        {"bearer xyz", "bearer [REDACTED]"},
        {"Bearer [REDACTED]", "Bearer [REDACTED]"},
        {"basically fine", "basically fine"},
        // Prose after "Basic" stays; a flag saying whether something is secret stays.
        {"HTTP 401: Invalid Basic Auth credentials", "HTTP 401: Invalid Basic Auth credentials"},
        {"Basic authentication failed", "Basic authentication failed"},
        {"Basic Zm9vOmJhcg==", "Basic [REDACTED]"},
        {R"({"kind":"note","secret":false})", R"({"kind":"note","secret":false})"},
        {R"({"secret": true, "token": null})", R"({"secret": true, "token": null})"},
        {R"({"secret":"false"})", R"({"secret":"[REDACTED]"})"},
        {R"({"secret":falsehood})", R"({"secret":[REDACTED]})"},
    };
    for (const Row& row : rows) {
        CAPTURE(std::string(row.input));
        CHECK(redact_text(row.input) == row.expected);
    }
}

TEST_CASE("http::redact_text leaves no part of a long secret") {
    const std::string secret = "sk_live_7f3a9c2e5b1d4f8a6c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d";
    const std::string bodies[] = {
        R"({"access_token":")" + secret + R"(","token_type":"bearer"})",
        R"({"api_key": ")" + secret + R"("})",
        "Authorization: Bearer " + secret,
        "client_secret=" + secret + "&grant_type=refresh_token",
        R"({"password":")" + secret.substr(0, 20) + R"(\"\\)" + secret.substr(20) + R"("})",
        R"({"outer":"{\"refresh_token\":\")" + secret + R"(\"}"})",
    };
    for (const std::string& body : bodies) {
        CAPTURE(body);
        const std::string out = redact_text(body);
        CHECK_FALSE(leaks(out, secret));
        CHECK(out.find("[REDACTED]") != std::string::npos);
    }
}

TEST_CASE("http::redact_text is idempotent") {
    const std::string text = R"({"email":"jane@example.com","phone":"+1 555 123 4567",)"
                             R"("access_token":"abc"} Bearer xyz)";
    const std::string once = redact_text(text);
    CHECK(redact_text(once) == once);
    CHECK(once.find("jane@") == std::string::npos);
    CHECK(once.find("123 4567") == std::string::npos);
}

TEST_CASE("http::redact_url") {
    const Row rows[] = {
        {"https://api.lever.co/v1/opportunities?email=jane%40example.com&limit=10",
         "https://api.lever.co/v1/opportunities?email=[REDACTED]&limit=10"},
        {"https://auth.lever.co/oauth/token?code=C1&state=S1&client_secret=X&api_key=K"
         "&refresh_token=R&token=T",
         "https://auth.lever.co/oauth/token?code=[REDACTED]&state=[REDACTED]"
         "&client_secret=[REDACTED]&api_key=[REDACTED]&refresh_token=[REDACTED]"
         "&token=[REDACTED]"},
        {"http://127.0.0.1:8080/callback?code=abc#frag",
         "http://127.0.0.1:8080/callback?code=[REDACTED]#frag"},
        {"https://a.io/cb#access_token=abc&x=1", "https://a.io/cb#access_token=[REDACTED]&x=1"},
        {"https://user:pass@a.io/x", "https://[REDACTED]@a.io/x"},
        {"https://a.io/users/jane@example.com/x", "https://a.io/users/j***@example.com/x"},
        {"/v1/candidates?page=2&per_page=100", "/v1/candidates?page=2&per_page=100"},
        {"https://a.io/x?q=a&email=", "https://a.io/x?q=a&email=[REDACTED]"},
        {"https://a.io", "https://a.io"},
        {"https://a.io/?", "https://a.io/?"},
    };
    for (const Row& row : rows) {
        CAPTURE(std::string(row.input));
        CHECK(redact_url(row.input) == row.expected);
    }
}
