#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pjats::text {

// Edit distance between `a` and `b` counting insertions, deletions, substitutions and
// transpositions of two adjacent characters as one edit each ("sned" -> "send" is 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a plausible typo: at most
// 1 edit for words of up to 4 characters, 2 up to 8, 3 beyond. Ties go to the earlier
// candidate; nothing close gives nullopt. Leading dashes are ignored on both sides, so
// "--jobs" finds "--job".
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

} // namespace pjats::text
