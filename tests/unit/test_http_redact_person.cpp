#include <pjats/http/redact.hpp>

#include <doctest/doctest.h>

#include <string>

using pjats::http::redact_text;

TEST_CASE("http::redact_text masks names, addresses and notes like emails") {
    const std::string body =
        R"({"first_name":"Maya","last_name": "Okonkwo","external_id":"1042",)"
        R"("addresses":[{"address":"417 Maple Avenue, Seattle","type":"home"}],)"
        R"("notes":"Headline: \"quoted\" engineer","prospect":true,"name":"Émile Zola",)"
        R"("headline":"Backend engineer","location":"Seattle, WA","title":"Engineer"})";
    const std::string out = redact_text(body);
    CHECK(out
          == R"({"first_name":"M***","last_name": "O***","external_id":"1042",)"
             R"("addresses":[{"address":"4***","type":"home"}],)"
             R"("notes":"H***","prospect":true,"name":"É***",)"
             R"("headline":"B***","location":"S***","title":"Engineer"})");
    // not strings, empty strings and other keys are kept
    CHECK(redact_text(R"({"name":null,"notes":"","location":{"city":"x"}})")
          == R"({"name":null,"notes":"","location":{"city":"x"}})");
    CHECK(redact_text("name: Maya") == "name: Maya");
    // Greenhouse's current_user (e.g. the user a send is credited to, under -v)
    CHECK(redact_text(R"({"full_name":"Alan Turing","id":1236})")
          == R"({"full_name":"A***","id":1236})");
}
