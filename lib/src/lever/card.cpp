// The Lever note of a candidate card and the résumé file name (docs/mapping.md).

#include "model/format.hpp"
#include "model/resume_text.hpp"

#include <pjats/lever/card.hpp>
#include <pjats/source/resume_fetch.hpp>

#include <algorithm>

namespace pjats::lever {

namespace {

void add_line(std::vector<std::string>& lines, std::string_view label, const std::string& value) {
    if (!value.empty()) {
        lines.push_back(std::string(label) + ": " + model::cut_entry(value));
    }
}

void add_lines(std::vector<std::string>& lines, std::vector<std::string> more) {
    lines.insert(lines.end(), more.begin(), more.end());
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) {
        out += out.empty() ? item : ", " + item;
    }
    return out;
}

// Characters kept from a candidate id in a file name; others become '-'.
bool file_safe(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
           || c == '_';
}

} // namespace

std::string note_marker(const model::Candidate& candidate) {
    return "Purpose Jobs profile: " + candidate.id;
}

std::string card_note(const model::Candidate& candidate) {
    std::vector<std::string> note{"Purpose Jobs candidate card"};
    add_line(note, "Summary", candidate.summary);
    add_lines(note, model::skill_lines(candidate));
    add_line(note, "Values", join(candidate.values));
    add_line(note, "Interests", join(candidate.interests));
    if (candidate.salary) {
        add_line(note, "Salary", model::format_salary(*candidate.salary));
    }
    add_lines(note, model::history_lines(candidate));
    std::vector<std::string> links;
    if (!candidate.website.empty()) {
        links.push_back(candidate.website);
    }
    for (const model::SocialProfile& profile : candidate.profiles) {
        if (!profile.url.empty()
            && std::find(links.begin(), links.end(), profile.url) == links.end()) {
            links.push_back(profile.url);
        }
    }
    add_line(note, "Links", join(links));
    return model::fit_note(note, note_marker(candidate));
}

bool is_card_note(std::string_view text, const model::Candidate& candidate) {
    const std::string marker = note_marker(candidate);
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line == marker) {
            return true;
        }
        start = end + 1;
    }
    return false;
}

std::string resume_file_name(const model::Candidate& candidate, std::string_view content_type) {
    std::string id = candidate.id;
    std::replace_if(id.begin(), id.end(), [](char c) { return !file_safe(c); }, '-');
    return "purpose-jobs-" + id + "-resume" + source::resume_extension(content_type);
}

} // namespace pjats::lever
