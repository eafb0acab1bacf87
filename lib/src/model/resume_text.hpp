#pragma once

// The résumé as plain text for the notes of both targets (Greenhouse `notes`, the Lever
// card note), and the cut that keeps a note within its limit (docs/mapping.md, "Résumé in
// the notes").

#include <pjats/model/candidate.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pjats::model {

// Largest note pj-ats writes, in characters (Unicode code points), its last line included.
// Neither API documents a limit; this keeps a long résumé readable and well below any
// plausible one.
inline constexpr std::size_t k_max_note_chars = 10000;

// Longest single entry (a summary, a highlight, a skill line) before it is cut.
inline constexpr std::size_t k_max_entry_chars = 2000;

// The lines of the résumé sections, in this order, each only when present:
//   "Skills: a, b" (names only), or "Skills:" then "- Name (Level): kw1, kw2" per skill;
//   "Experience:" then "- Position, Company, START to END" per job, its summary indented by
//   two spaces and "  * highlight" per highlight;
//   "Education:" then "- Degree, Field, School, START to END" per entry;
//   "Languages: English (Native speaker), Spanish";
//   "Certificates:" then "- Name, Issuer, DATE" per certificate.
// Every entry longer than k_max_entry_chars is cut and ends with " [cut]".
std::vector<std::string> skill_lines(const Candidate& candidate);
std::vector<std::string> history_lines(const Candidate& candidate);

// `text` cut to at most `max_chars` code points (never inside a UTF-8 sequence), " [cut]"
// appended when something was removed.
std::string cut_entry(std::string_view text, std::size_t max_chars = k_max_entry_chars);

// Joins `lines` with '\n' and appends `last_line`, keeping the whole within
// k_max_note_chars: the lines that do not fit are dropped from the end and replaced by
// "[cut: N more lines; notes are limited to 10000 characters]" before `last_line`.
std::string fit_note(const std::vector<std::string>& lines, const std::string& last_line);

// Number of Unicode code points in UTF-8 `text`.
std::size_t char_count(std::string_view text);

} // namespace pjats::model
