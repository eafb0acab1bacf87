// Regression tests for the findings of the fuzz targets in fuzz/ (one TEST_CASE each,
// feeding the reproducer's shape to the function that misbehaved).

#include "json/reader.hpp"
#include "support/scripted_transport.hpp"

#include <pjats/greenhouse/client.hpp>
#include <pjats/http/redact.hpp>

#include <doctest/doctest.h>

#include <string>

using pjats::http::redact_text;

// fuzz_retry_after: redact_text re-scanned the rest of the text from every '(' that did
// not start a phone number, so a body of parentheses took quadratic time (64 KiB: minutes;
// the 32 MiB a --verbose trace may redact: never ending). Now one pass copies such a span.
TEST_CASE("fuzz regression: redact_text is linear on runs without digits") {
    const std::string parens(std::size_t{4} * 1024 * 1024, '(');
    CHECK(redact_text(parens) == parens);

    std::string mixed;
    for (int i = 0; i < 100000; ++i) {
        mixed += "( - (.) ";
    }
    CHECK(redact_text(mixed) == mixed);
    const std::string plus(std::size_t{1024} * 1024, '+');
    CHECK(redact_text(plus) == plus);
}

TEST_CASE("fuzz regression: skipping digit-free spans still masks the phone after them") {
    CHECK(redact_text("((( ) call +1 (555) 123-4567") == "((( ) call +* (***) ***-**67");
    CHECK(redact_text("(((555) 123-4567") == "(((***) ***-**67");
    CHECK(redact_text("+ (. -)+1 555 123 4567") == "+ (. -)+* *** *** **67");
    CHECK(redact_text("( ) (") == "( ) (");
}

// fuzz_greenhouse_decode: the Greenhouse client parsed response bodies recursively, so a
// deeply nested body ("[[[[...", 1 MB) overflowed the stack and crashed pj-ats.
TEST_CASE("fuzz regression: deeply nested Greenhouse bodies are errors, not crashes") {
    pjats::http::Response response;
    response.status = 422;
    response.body = std::string(std::size_t{2} * 1024 * 1024, '[');
    const pjats::Error error = pjats::greenhouse::error_from_response(response, "create");
    CHECK(error.kind == pjats::ErrorKind::validation);

    pjats::test::ScriptedTransport transport;
    transport.respond(200, response.body).respond(200, response.body);
    pjats::greenhouse::Client client(transport, "http://127.0.0.1:9", "key", "a@example.com");
    auto user = client.current_user();
    REQUIRE_FALSE(user);
    CHECK(user.error().kind == pjats::ErrorKind::decode);
    auto jobs = client.jobs();
    REQUIRE_FALSE(jobs);
    CHECK(jobs.error().kind == pjats::ErrorKind::decode);
}

// fuzz_lever_decode: RapidJSON's full-precision number parser hit undefined behaviour
// (clz(0) in DiyFp::Normalize, reported by UBSan) on a zero with a large exponent.
TEST_CASE("fuzz regression: a zero with a large exponent parses as zero, strings untouched") {
    rapidjson::Document doc;
    const std::string text = R"({"a":0E52,"b":-0.0e-400,"c":"0e52 \"0e-30\"","d":1.5e3,"e":0e-30})";
    REQUIRE(pjats::json::parse_document(doc, text, "fuzz", 1024).has_value());
    CHECK(doc["a"].GetDouble() == 0.0);
    CHECK(doc["b"].GetDouble() == 0.0);
    CHECK(std::string(doc["c"].GetString()) == "0e52 \"0e-30\"");
    CHECK(doc["d"].GetDouble() == 1500.0);
    CHECK(doc["e"].GetDouble() == 0.0);
    // The blanking keeps lengths, so an error still names the right offset.
    rapidjson::Document bad;
    const pjats::Status status = pjats::json::parse_document(bad, R"({"a":0e52,})", "fuzz", 1024);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().message.find("offset 10") != std::string::npos);
}
