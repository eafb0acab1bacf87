// greenhouse::error_from_response: Greenhouse's error bodies turned into one readable message.

#include <pjats/greenhouse/client.hpp>

#include <doctest/doctest.h>

#include <string>

namespace {

pjats::Error error_for(long status, const std::string& body) {
    pjats::http::Response response;
    response.status = status;
    response.body = body;
    return pjats::greenhouse::error_from_response(response, "create");
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("greenhouse::error_from_response names a field once when the message already starts with it") {
    const pjats::Error error = error_for(
        401, R"({"errors":[{"message":"On-Behalf-Of 'a@b.example' is not a user","field":"On-Behalf-Of"}]})");
    CHECK_FALSE(contains(error.message, "On-Behalf-Of: On-Behalf-Of"));
    CHECK(contains(error.message, "On-Behalf-Of 'a@b.example' is not a user"));
    CHECK(error.field == "On-Behalf-Of");
}

TEST_CASE("greenhouse::error_from_response prefixes the field when the message does not name it") {
    const pjats::Error error =
        error_for(422, R"({"errors":[{"message":"can't be blank","field":"first_name"}]})");
    CHECK(contains(error.message, "first_name: can't be blank"));
}
