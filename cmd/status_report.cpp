#include "status_report.hpp"

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

void write_secret_json(JsonWriter& json, const profile::Secret& secret) {
    const bool present = secret.origin != profile::SecretOrigin::none;
    json.begin_object().key("present").value(present);
    json.key("origin").value(profile::to_string(secret.origin));
    json.key("where");
    if (secret.where.empty()) {
        json.null();
    } else {
        json.value(secret.where);
    }
    json.end_object();
}

std::string describe_origin(const profile::Secret& secret, const std::string& command_key) {
    switch (secret.origin) {
    case profile::SecretOrigin::environment:
        return "from $" + secret.where;
    case profile::SecretOrigin::command:
        return "from " + command_key;
    case profile::SecretOrigin::profile:
        return "stored in the profile";
    case profile::SecretOrigin::none:
        break;
    }
    return "not set";
}

std::string shell_word(const std::string& text) {
    const bool plain = !text.empty()
                       && text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                 "abcdefghijklmnopqrstuvwxyz"
                                                 "0123456789@%+=:,./_-")
                              == std::string::npos;
    if (plain) {
        return text;
    }
    std::string quoted = "'";
    for (char c : text) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

std::string command_prefix(const Context& ctx) {
    std::string prefix = "pj-ats";
    if (!ctx.global.config.empty()) {
        prefix += " --config " + shell_word(ctx.global.config);
    }
    if (!ctx.global.profile.empty()) {
        prefix += " --profile " + shell_word(ctx.global.profile);
    }
    return prefix;
}

std::string relative_time(std::int64_t when, std::int64_t now) {
    const std::int64_t diff = when - now;
    const std::int64_t secs = diff < 0 ? -diff : diff;
    std::string amount;
    if (secs < 60) {
        amount = std::to_string(secs) + " s";
    } else if (secs < 2 * 3600) {
        amount = std::to_string(secs / 60) + " min";
    } else if (secs < 2 * 86400) {
        amount = std::to_string(secs / 3600) + " h";
    } else {
        amount = std::to_string(secs / 86400) + " days";
    }
    return diff > 0 ? "in " + amount : amount + " ago";
}

} // namespace pjats::cli
