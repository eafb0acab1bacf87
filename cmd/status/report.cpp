#include "status/report.hpp"

#include "output.hpp"
#include "table.hpp"

#include <pjats/http/secrets.hpp>

#include <algorithm>
#include <ostream>

namespace pjats::cli {

namespace {

// Higher is more severe: what a cron run is furthest from being able to do.
int severity(ExitCode code) {
    switch (code) {
    case ExitCode::config:
        return 6;
    case ExitCode::auth:
        return 5;
    case ExitCode::locked:
        return 4;
    case ExitCode::rejected:
        return 3;
    case ExitCode::temporary:
        return 1;
    case ExitCode::ok:
        return 0;
    default:
        return 2;
    }
}

// Details, fixes and sections quote server answers and ledger errors, which may echo a
// credential: every text is scrubbed as it enters the report.
std::string scrubbed(const std::string& text) {
    return http::scrub_secrets(text);
}

} // namespace

const char* to_string(CheckStatus status) {
    switch (status) {
    case CheckStatus::ok:
        return "ok";
    case CheckStatus::warn:
        return "warn";
    case CheckStatus::fail:
        return "fail";
    }
    return "fail";
}

StatusReport::StatusReport() {
    for (const char* key :
         {"profile", "config", "source", "greenhouse", "lever", "links", "ledger", "last_sync"}) {
        m_sections.emplace_back(key, std::string(key) == "links" ? "[]" : "null");
    }
}

void StatusReport::ok(std::string name, std::string detail) {
    m_checks.push_back({std::move(name), CheckStatus::ok, scrubbed(detail), {}, ExitCode::ok});
}

void StatusReport::warn(std::string name, std::string detail, std::string fix) {
    m_checks.push_back(
        {std::move(name), CheckStatus::warn, scrubbed(detail), scrubbed(fix), ExitCode::ok});
}

void StatusReport::attention(std::string name, std::string detail, std::string fix) {
    m_checks.push_back({std::move(name), CheckStatus::warn, scrubbed(detail), scrubbed(fix),
                        ExitCode::partial});
}

void StatusReport::fail(std::string name, std::string detail, std::string fix, ExitCode code) {
    m_checks.push_back({std::move(name), CheckStatus::fail, scrubbed(detail), scrubbed(fix), code});
}

void StatusReport::set_section(const std::string& key, std::string json) {
    for (auto& [name, value] : m_sections) {
        if (name == key) {
            value = scrubbed(json);
            return;
        }
    }
    m_sections.emplace_back(key, scrubbed(json));
}

bool StatusReport::healthy() const {
    for (const auto& check : m_checks) {
        if (check.status == CheckStatus::fail) {
            return false;
        }
    }
    return true;
}

int StatusReport::exit_code() const {
    ExitCode worst = ExitCode::ok;
    bool attention = false;
    for (const auto& check : m_checks) {
        if (check.status != CheckStatus::fail) {
            attention = attention || check.code != ExitCode::ok;
            continue;
        }
        const ExitCode code = check.code == ExitCode::ok ? ExitCode::failure : check.code;
        if (severity(code) > severity(worst)) {
            worst = code;
        }
    }
    if (worst == ExitCode::ok && attention) {
        return to_int(ExitCode::partial);
    }
    return to_int(worst);
}

std::vector<std::string> StatusReport::needs_person(bool failed_only) const {
    std::vector<std::string> names;
    for (const auto& check : m_checks) {
        const bool failed = check.status == CheckStatus::fail;
        const bool attention = check.status == CheckStatus::warn && check.code != ExitCode::ok;
        if ((failed || (attention && !failed_only))
            && std::find(names.begin(), names.end(), check.name) == names.end()) {
            names.push_back(check.name);
        }
    }
    return names;
}

const char* StatusReport::verdict() const {
    if (!healthy()) {
        return "broken";
    }
    return needs_person().empty() ? "ok" : "attention";
}

std::string StatusReport::summary() const {
    int warnings = 0;
    int failures = 0;
    for (const auto& check : m_checks) {
        warnings += check.status == CheckStatus::warn ? 1 : 0;
        failures += check.status == CheckStatus::fail ? 1 : 0;
    }
    std::string line = failures == 0 && warnings == 0
                           ? std::string("All checks passed")
                           : std::to_string(failures) + (failures == 1 ? " failure, " : " failures, ")
                                 + std::to_string(warnings)
                                 + (warnings == 1 ? " warning" : " warnings");
    const auto join = [](const std::vector<std::string>& names) {
        std::string text;
        for (const auto& name : names) {
            text += (text.empty() ? "" : ", ") + name;
        }
        return text;
    };
    const std::vector<std::string> failed = needs_person(true);
    std::vector<std::string> attention;
    for (const auto& name : needs_person()) {
        if (std::find(failed.begin(), failed.end(), name) == failed.end()) {
            attention.push_back(name);
        }
    }
    if (failed.empty() && attention.empty()) {
        line += "; nothing needs a person";
    }
    if (!failed.empty()) {
        line += "; broken: " + join(failed);
    }
    if (!attention.empty()) {
        line += "; sends need a person: " + join(attention);
    }
    return line + " (exit " + std::to_string(exit_code()) + ").";
}

namespace {

// `fix` in lines of at most `width` columns after the 7-column "  fix: " (the rest under
// it), broken only at spaces in its prose: never inside `quoted commands` or
// (parentheses), and never after the start of a bare command (pj-ats, printf, chmod, …),
// which keeps the rest of its line — a command is always whole, ready to copy.
std::string wrap_fix(const std::string& fix, std::optional<std::size_t> width) {
    constexpr std::size_t indent = 7;
    if (!width || *width <= indent + 20 || display_width(fix) + indent <= *width) {
        return fix;
    }
    static const std::vector<std::string> k_commands = {
        "pj-ats", "printf", "chmod", "chown", "mkdir", "unset", "export", "ls", "psql", "cat"};
    std::vector<std::string> words;
    std::string word;
    bool quoted = false;
    bool command = false;
    int depth = 0;
    for (const char c : fix) {
        if (c == ' ' && !quoted && depth == 0 && !command) {
            if (std::find(k_commands.begin(), k_commands.end(), word) != k_commands.end()) {
                command = true; // the rest is one piece
                word += c;
                continue;
            }
            words.push_back(word);
            word.clear();
            continue;
        }
        quoted = c == '`' ? !quoted : quoted;
        depth += !quoted && c == '(' ? 1 : (!quoted && c == ')' && depth > 0 ? -1 : 0);
        word += c;
    }
    words.push_back(word);
    std::string text;
    std::size_t column = indent;
    for (const auto& piece : words) {
        const std::size_t w = display_width(piece);
        if (column > indent && column + 1 + w > *width) {
            text += "\n" + std::string(indent, ' ');
            column = indent;
        } else if (column > indent) {
            text += ' ';
            ++column;
        }
        text += piece;
        column += w;
    }
    return text;
}

// `text` in lines of at most `width` columns, broken at spaces, the later lines indented
// by two (a word longer than the width keeps its line).
std::string wrap_plain(const std::string& text, std::optional<std::size_t> width) {
    if (!width || display_width(text) <= *width) {
        return text;
    }
    std::string out;
    std::size_t column = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t space = std::min(text.find(' ', start), text.size());
        const std::string word = text.substr(start, space - start);
        const std::size_t w = display_width(word);
        if (column > 2 && column + 1 + w > *width) {
            out += "\n  ";
            column = 2;
        } else if (!out.empty()) {
            out += ' ';
            ++column;
        }
        out += word;
        column += w;
        start = space + 1;
    }
    return out;
}

} // namespace

void StatusReport::print_text(std::ostream& out, bool color, std::optional<std::size_t> width) const {
    for (const auto& check : m_checks) {
        if (check.status == CheckStatus::ok) {
            out << ok_word(color);
        } else if (check.status == CheckStatus::warn) {
            out << warn_word(color);
        } else {
            out << fail_word(color);
        }
        // On a terminal the detail keeps to one line (--json has all of it).
        const std::size_t used = 6 + display_width(check.name) + 2;
        const bool whole = !width || *width < used + 10;
        out << check.name << ": " << (whole ? check.detail : shorten(check.detail, *width - used))
            << '\n';
        if (!check.fix.empty()) {
            out << "  fix: " << wrap_fix(check.fix, width) << '\n';
        }
    }
    out << wrap_plain(summary(), width) << '\n';
}

std::string StatusReport::to_json() const {
    JsonWriter json;
    json.begin_object();
    for (const auto& [key, value] : m_sections) {
        json.key(key).raw(value);
    }
    json.key("checks").begin_array();
    for (const auto& check : m_checks) {
        json.begin_object().key("name").value(check.name);
        json.key("status").value(to_string(check.status)).key("detail").value(check.detail);
        json.key("fix");
        if (check.fix.empty()) {
            json.null();
        } else {
            json.value(check.fix);
        }
        json.end_object();
    }
    json.end_array();
    json.key("ok").value(healthy()).key("verdict").value(verdict());
    json.key("needs_person").begin_array();
    for (const auto& name : needs_person()) {
        json.value(name);
    }
    json.end_array();
    json.key("summary").value(summary()).key("exit_code").value(exit_code());
    json.end_object();
    return json.str();
}

} // namespace pjats::cli
