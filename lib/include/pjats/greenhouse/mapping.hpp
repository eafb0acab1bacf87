#pragma once

#include <pjats/model/candidate.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace pjats::greenhouse {

// How a candidate is posted: as a prospect without a pool (no `job_id`), or as a
// candidate on Greenhouse job `job_id`.
// A prospect may go into a prospect pool (and stage) and get a prospect owner.
struct CandidateOptions {
    std::optional<std::int64_t> job_id;
    std::optional<std::int64_t> pool_id;
    std::optional<std::int64_t> pool_stage_id;
    std::string prospect_owner_email;
};

// The exact JSON object for POST /v1/partner/candidates (docs/mapping.md): first_name,
// last_name, external_id (string), prospect (JSON boolean: true without a job, false with
// one), job_id (integer, with a job), prospect_pool_id, prospect_pool_stage_id and
// prospect_owner_email (prospects only), company, title, resume (URL only), emails,
// phone_numbers, addresses, websites, social_media and notes. Empty fields are omitted and
// no field outside the documented request fields is ever written. `candidate` should have
// passed model::validate_for_send.
std::string candidate_body(const model::Candidate& candidate, const CandidateOptions& options);

// The plain-text `notes` candidate_body sends: one "Label: value" line per piece of
// information Greenhouse has no field for (headline, summary, skills, values, interests,
// salary) and "Purpose Jobs profile: ID". Empty when there is nothing to say.
std::string candidate_notes(const model::Candidate& candidate);

} // namespace pjats::greenhouse
