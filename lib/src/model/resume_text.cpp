#include "model/resume_text.hpp"

namespace pjats::model {

namespace {

bool is_continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

void append_part(std::string& out, std::string_view part, std::string_view separator) {
    if (part.empty()) {
        return;
    }
    if (!out.empty()) {
        out += separator;
    }
    out += part;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const std::string& item : items) {
        append_part(out, item, separator);
    }
    return out;
}

// "START to END", "START to present" (no end), "until END" (no start), or "".
std::string date_range(const std::string& start, const std::string& end, bool open_is_present) {
    if (start.empty()) {
        return end.empty() ? std::string() : "until " + end;
    }
    if (end.empty()) {
        return open_is_present ? start + " to present" : "from " + start;
    }
    return start + " to " + end;
}

void add_indented(std::vector<std::string>& lines, std::string_view prefix, std::string_view text) {
    if (!text.empty()) {
        lines.push_back(std::string(prefix) + cut_entry(text));
    }
}

} // namespace

std::size_t char_count(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text) {
        count += is_continuation(c) ? 0 : 1;
    }
    return count;
}

std::string cut_entry(std::string_view text, std::size_t max_chars) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (is_continuation(text[i])) {
            continue;
        }
        if (chars == max_chars) {
            return std::string(text.substr(0, i)) + " [cut]";
        }
        ++chars;
    }
    return std::string(text);
}

std::vector<std::string> skill_lines(const Candidate& candidate) {
    std::vector<std::string> lines;
    bool detailed = false;
    for (const Skill& skill : candidate.skill_details) {
        detailed = detailed || !skill.level.empty() || !skill.keywords.empty();
    }
    if (!detailed) {
        if (!candidate.skills.empty()) {
            lines.push_back("Skills: " + cut_entry(join(candidate.skills, ", ")));
        }
        return lines;
    }
    lines.emplace_back("Skills:");
    for (const Skill& skill : candidate.skill_details) {
        std::string line = skill.name;
        if (!skill.level.empty()) {
            line += line.empty() ? skill.level : " (" + skill.level + ")";
        }
        const std::string keywords = join(skill.keywords, ", ");
        if (!keywords.empty()) {
            line += line.empty() ? keywords : ": " + keywords;
        }
        lines.push_back("- " + cut_entry(line));
    }
    return lines;
}

std::vector<std::string> history_lines(const Candidate& candidate) {
    std::vector<std::string> lines;
    if (!candidate.work.empty()) {
        lines.emplace_back("Experience:");
        for (const WorkEntry& job : candidate.work) {
            std::string head;
            append_part(head, job.position, ", ");
            append_part(head, job.company, ", ");
            append_part(head, date_range(job.start_date, job.end_date, true), ", ");
            lines.push_back("- " + cut_entry(head.empty() ? "(untitled job)" : head));
            add_indented(lines, "  ", job.summary);
            for (const std::string& highlight : job.highlights) {
                add_indented(lines, "  * ", highlight);
            }
        }
    }
    if (!candidate.education.empty()) {
        lines.emplace_back("Education:");
        for (const EducationEntry& entry : candidate.education) {
            std::string head;
            append_part(head, entry.study_type, ", ");
            append_part(head, entry.area, ", ");
            append_part(head, entry.institution, ", ");
            append_part(head, date_range(entry.start_date, entry.end_date, false), ", ");
            lines.push_back("- " + cut_entry(head));
        }
    }
    if (!candidate.languages.empty()) {
        std::vector<std::string> items;
        for (const Language& language : candidate.languages) {
            items.push_back(language.fluency.empty()
                                ? language.language
                                : language.language + " (" + language.fluency + ")");
        }
        lines.push_back("Languages: " + cut_entry(join(items, ", ")));
    }
    if (!candidate.certificates.empty()) {
        lines.emplace_back("Certificates:");
        for (const Certificate& certificate : candidate.certificates) {
            std::string head = certificate.name;
            append_part(head, certificate.issuer, ", ");
            append_part(head, certificate.date, ", ");
            lines.push_back("- " + cut_entry(head));
        }
    }
    return lines;
}

std::string fit_note(const std::vector<std::string>& lines, const std::string& last_line) {
    std::size_t total = char_count(last_line);
    for (const std::string& line : lines) {
        total += char_count(line) + 1; // the line and its '\n'
    }
    std::string out;
    std::size_t used = char_count(last_line);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::size_t cost = char_count(lines[i]) + 1;
        if (total > k_max_note_chars) {
            // Room must remain for the cut line that ends the note.
            const std::string cut_line = "[cut: " + std::to_string(lines.size() - i)
                                         + " more lines; notes are limited to "
                                         + std::to_string(k_max_note_chars) + " characters]";
            if (used + cost + char_count(cut_line) + 1 > k_max_note_chars) {
                return out + cut_line + "\n" + last_line;
            }
        }
        out += lines[i] + "\n";
        used += cost;
    }
    return out + last_line;
}

} // namespace pjats::model
