#include <pjats/text/suggest.hpp>

#include <algorithm>
#include <limits>

namespace pjats::text {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment distance over three rolling rows.
    const std::size_t n = b.size();
    std::vector<std::size_t> before(n + 1), previous(n + 1), current(n + 1);
    for (std::size_t j = 0; j <= n; ++j) {
        previous[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= n; ++j) {
            const std::size_t substitution = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] =
                std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                current[j] = std::min(current[j], before[j - 2] + 1);
            }
        }
        before.swap(previous);
        previous.swap(current);
    }
    return previous[n];
}

namespace {

std::string_view without_dashes(std::string_view s) {
    while (!s.empty() && s.front() == '-') {
        s.remove_prefix(1);
    }
    return s;
}

std::size_t allowed_edits(std::size_t length) {
    if (length <= 4) {
        return 1;
    }
    return length <= 8 ? 2 : 3;
}

} // namespace

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
    const std::string_view bare = without_dashes(word);
    if (bare.empty()) {
        return std::nullopt;
    }
    std::optional<std::string> best;
    std::size_t best_distance = std::numeric_limits<std::size_t>::max();
    for (const std::string& candidate : candidates) {
        if (candidate == word) {
            continue;
        }
        const std::size_t d = edit_distance(bare, without_dashes(candidate));
        if (d <= allowed_edits(bare.size()) && d < best_distance) {
            best = candidate;
            best_distance = d;
        }
    }
    return best;
}

} // namespace pjats::text
