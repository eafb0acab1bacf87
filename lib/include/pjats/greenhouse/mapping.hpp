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

// Greenhouse's `last_name` for a candidate known by one name only (docs/mapping.md, "Names").
inline constexpr const char* k_single_name_placeholder = "(single name)";

struct NameParts {
    std::string first;
    std::string last;
};

// `first_name` and `last_name` as sent: both parts when both are known; when only one is
// (a one-word or unsplittable name such as "Zendaya" or "郭海旭"), that one as first_name
// and k_single_name_placeholder as last_name.
NameParts name_parts(const model::Candidate& candidate);

// The exact JSON object for POST /v1/partner/candidates (docs/mapping.md): first_name,
// last_name, external_id (string), prospect (JSON boolean: true without a job, false with
// one), job_id (integer, with a job), prospect_pool_id, prospect_pool_stage_id and
// prospect_owner_email (prospects only), company, title, resume (URL only), emails,
// phone_numbers, addresses, websites, social_media and notes. Empty fields are omitted and
// no field outside the documented request fields is ever written. `candidate` should have
// passed model::validate_for_send.
std::string candidate_body(const model::Candidate& candidate, const CandidateOptions& options);

// The plain-text `notes` candidate_body sends: what Greenhouse has no field for (headline,
// summary, skills, values, interests, salary, then experience, education, languages and
// certificates) and "Purpose Jobs profile: ID", within the note limit (docs/mapping.md,
// "Résumé in the notes"). Empty when there is nothing to say.
std::string candidate_notes(const model::Candidate& candidate);

} // namespace pjats::greenhouse
