#pragma once

// The part of a Purpose Jobs candidate card Lever has no field for, as one note, and the
// name of the résumé file attached from a URL (docs/mapping.md, "Lever note").

#include <pjats/model/candidate.hpp>

#include <string>
#include <string_view>

namespace pjats::lever {

// The note's last line: "Purpose Jobs profile: <id>". It makes the note findable again
// after an unknown outcome (Client::list_notes).
std::string note_marker(const model::Candidate& candidate);

// The note body: "Purpose Jobs candidate card", then the summary, skills, values,
// interests, salary range, the résumé sections (experience, education, languages,
// certificates) and links that are present, then note_marker(), within the note limit
// (docs/mapping.md, "Résumé in the notes"). Plain text; summaries keep their line breaks.
std::string card_note(const model::Candidate& candidate);

// Whether a note body (as Lever returns it) is the card note of `candidate`: one of its
// lines is exactly note_marker().
bool is_card_note(std::string_view text, const model::Candidate& candidate);

// The name the downloaded résumé is uploaded under: "purpose-jobs-<id>-resume<ext>", with
// the extension of `content_type` (".pdf", ".docx", …). Unique per candidate, so the file
// is findable again after an unknown outcome (Client::list_files).
std::string resume_file_name(const model::Candidate& candidate, std::string_view content_type);

} // namespace pjats::lever
