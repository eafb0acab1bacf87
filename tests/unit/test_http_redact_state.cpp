#include <pjats/http/redact.hpp>

#include <doctest/doctest.h>

using pjats::http::redact_url;

TEST_CASE("http::redact_url shows a posting state filter but masks an OAuth state") {
    CHECK(redact_url("https://api.lever.co/v1/postings?state=published&limit=100")
          == "https://api.lever.co/v1/postings?state=published&limit=100");
    CHECK(redact_url("https://api.lever.co/v1/postings?state=closed")
          == "https://api.lever.co/v1/postings?state=closed");
    CHECK(redact_url("https://auth.lever.co/authorize?state=Zx81kq0&client_id=c")
          == "https://auth.lever.co/authorize?state=[REDACTED]&client_id=c");
    CHECK(redact_url("https://a.io/cb?code=X&state=publishedX")
          == "https://a.io/cb?code=[REDACTED]&state=[REDACTED]");
}
