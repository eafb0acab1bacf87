#pragma once

// Validation of one candidate object of POST /v1/partner/candidates against the documented
// request table (greenhouse-ingestion-api.md §2.2). Internal to fake_greenhouse.cpp.

#include "fake_json.hpp"

#include <string>
#include <vector>

namespace pjats::fakes {

struct FieldError {
    std::string message;
    std::string field; // offending field ("phone_numbers[0].type"), may be empty
};

// Every problem of `candidate`: unknown fields, missing or mistyped required fields
// (first_name, last_name, external_id: non-empty strings), `prospect` not a boolean,
// prospect false without job_id, jobs not visible to the user, bad array elements or enum
// values, resume not an http(s) URL, prospect-pool fields on a non-prospect.
std::vector<FieldError> check_candidate(const rapidjson::Value& candidate);

} // namespace pjats::fakes
