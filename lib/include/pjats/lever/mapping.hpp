#pragma once

#include <pjats/http/http.hpp>
#include <pjats/model/candidate.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pjats::lever {

// How a candidate becomes a Lever opportunity.
struct OpportunityOptions {
    std::string posting_id;         // sent as postings: [posting_id] when not empty
    std::string origin = "sourced"; // must satisfy is_valid_origin; empty: not sent
    std::vector<std::string> tags;  // extra tags after "Purpose Jobs"
};

// True for the origins Lever accepts: agency, applied, internal, referred, sourced,
// university.
bool is_valid_origin(std::string_view origin);

// The JSON body for POST /v1/opportunities (docs/mapping.md): name, headline, location,
// emails, phones, links, tags ("Purpose Jobs" then options.tags, deduplicated), sources
// ["Purpose Jobs"], origin and postings. No `stage`, so Lever files the opportunity under
// New lead. Empty fields are omitted. Throws std::invalid_argument when options.origin is
// not empty and not a valid origin (a programming error).
std::string opportunity_json(const model::Candidate& candidate, const OpportunityOptions& options);

// The same fields as multipart/form-data parts (arrays as repeated `emails[]`, `phones[]`,
// `links[]`, `tags[]`, `sources[]`, `postings[]`; each phone as its number alone) plus the
// résumé as file part `resumeFile` when candidate.resume_file is set. Use it only when
// has_resume_file() is true. `parse=true` is a query parameter in Lever's API, so it is
// not among the parts: the client adds it to the URL.
std::vector<http::FormPart> opportunity_form(const model::Candidate& candidate,
                                             const OpportunityOptions& options);

// True when candidate.resume_file names an existing regular file.
bool has_resume_file(const model::Candidate& candidate);

// The MIME type sent for a résumé file, chosen by extension (case-insensitive): pdf, doc,
// docx, txt, rtf, odt; anything else is application/octet-stream.
std::string resume_content_type(std::string_view file_name);

} // namespace pjats::lever
