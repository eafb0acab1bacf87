#include <pjats/text/wrap.hpp>

#include <algorithm>
#include <vector>

namespace pjats::text {

namespace {

constexpr std::size_t k_min_room = 16; // narrowest text column worth hanging at

std::size_t indent_of(std::string_view line) {
    const std::size_t first = line.find_first_not_of(' ');
    return first == std::string_view::npos ? line.size() : first;
}

// Column of the text after the first run of 2+ spaces past the indent; 0 when none.
std::size_t second_column(std::string_view line, std::size_t indent) {
    const std::size_t gap = line.find("  ", indent);
    if (gap == std::string_view::npos) {
        return 0;
    }
    const std::size_t next = line.find_first_not_of(' ', gap);
    return next == std::string_view::npos ? 0 : next;
}

std::vector<std::string_view> words_of(std::string_view s) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t start = s.find_first_not_of(' ', i);
        if (start == std::string_view::npos) {
            break;
        }
        const std::size_t end = std::min(s.find(' ', start), s.size());
        words.push_back(s.substr(start, end - start));
        i = end;
    }
    return words;
}

void wrap_line(std::string_view line, std::size_t width, std::string& out) {
    const std::size_t indent = std::min(indent_of(line), width / 2);
    std::size_t hang = second_column(line, indent);
    std::string current;
    std::string_view body;
    if (hang > 0 && hang + k_min_room <= width) {
        current = std::string(line.substr(0, hang));
        body = line.substr(hang);
    } else {
        hang = indent;
        current = std::string(indent, ' ');
        body = line.substr(indent_of(line));
    }
    bool line_has_word = false;
    const auto flush = [&] {
        out += current;
        out += '\n';
        current.assign(hang, ' ');
        line_has_word = false;
    };
    for (std::string_view word : words_of(body)) {
        const std::size_t needed = word.size() + (line_has_word ? 1 : 0);
        if (current.size() + needed > width && line_has_word) {
            flush();
        }
        while (current.size() + word.size() + (line_has_word ? 1 : 0) > width) {
            // Longer than a whole line: split it.
            if (line_has_word) {
                flush();
            }
            const std::size_t room = width > current.size() ? width - current.size() : 1;
            current += word.substr(0, room);
            word.remove_prefix(std::min(room, word.size()));
            flush();
        }
        if (word.empty()) {
            continue;
        }
        if (line_has_word) {
            current += ' ';
        }
        current += word;
        line_has_word = true;
    }
    if (line_has_word) {
        out += current;
        out += '\n';
    }
}

} // namespace

std::string wrap_text(std::string_view text, std::size_t width) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        const bool has_newline = end != std::string_view::npos;
        if (!has_newline) {
            end = text.size();
        }
        const std::string_view line = text.substr(start, end - start);
        if (line.size() <= width || width == 0) {
            out += line;
            if (has_newline) {
                out += '\n';
            }
        } else {
            const std::size_t before = out.size();
            wrap_line(line, width, out);
            if (!has_newline && out.size() > before) {
                out.pop_back();
            }
        }
        start = end + 1;
    }
    return out;
}

} // namespace pjats::text
