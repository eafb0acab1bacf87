#include "status/report.hpp"

#include "output.hpp"

#include <pjats/http/secrets.hpp>

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

void StatusReport::print_text(std::ostream& out, bool color) const {
    int warnings = 0;
    int failures = 0;
    for (const auto& check : m_checks) {
        if (check.status == CheckStatus::ok) {
            out << ok_word(color);
        } else if (check.status == CheckStatus::warn) {
            out << warn_word(color);
            ++warnings;
        } else {
            out << fail_word(color);
            ++failures;
        }
        out << check.name << ": " << check.detail << '\n';
        if (!check.fix.empty()) {
            out << "  fix: " << check.fix << '\n';
        }
    }
    if (failures == 0 && warnings == 0) {
        out << "All checks passed.\n";
        return;
    }
    out << failures << (failures == 1 ? " failure, " : " failures, ") << warnings
        << (warnings == 1 ? " warning" : " warnings");
    if (failures > 0) {
        out << " (exit " << exit_code() << ")";
    } else {
        out << "; nothing a cron run needs is broken";
    }
    out << ".\n";
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
    json.key("ok").value(healthy()).key("exit_code").value(exit_code());
    json.end_object();
    return json.str();
}

} // namespace pjats::cli
