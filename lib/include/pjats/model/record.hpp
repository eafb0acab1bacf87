#pragma once

#include <pjats/core/result.hpp>
#include <pjats/model/candidate.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace pjats::model {

// Largest record accepted, in bytes; larger input is a validation error, not a crash.
inline constexpr std::size_t k_max_record_bytes = 5u * 1024u * 1024u;

// Decodes one JSON Resume record. `origin` names it in errors ("candidates/42.json: ...");
// `base_dir` resolves a relative meta.purposeJobs.resumeFile, which must then lie inside
// `base_dir` after symbolic links are followed (an empty `base_dir`: the record has no
// local folder and may not name a file at all). Errors have kind `validation` and name
// the JSON path in `field` (e.g. "meta.purposeJobs.id").
Result<Candidate>
parse_record(std::string_view json_text, const std::string& origin, const std::string& base_dir);

// The same, with the résumé file confined to `root_dir` (a folder containing `base_dir`,
// e.g. a dir source's top folder) instead of `base_dir` itself.
Result<Candidate> parse_record(std::string_view json_text,
                               const std::string& origin,
                               const std::string& base_dir,
                               const std::string& root_dir);

// The checks a record must pass before it is sent anywhere: a valid id and a non-empty
// name (one word is enough; see greenhouse::name_parts). Returns the first problem found.
Status validate_for_send(const Candidate& candidate);

// A plausible e-mail address: one '@' with text on both sides, a dot in the domain, no
// whitespace or control characters (meta.purposeJobs.exportedBy, --on-behalf-of).
bool looks_like_email(std::string_view text);

} // namespace pjats::model
