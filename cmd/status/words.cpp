// The words `status` checks are written with: shell-quoted fix commands, secret origins,
// relative times, optional JSON values.
#include "status/report.hpp"

namespace pjats::cli {

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
    return ctx.program();
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

void value_or_null(JsonWriter& json, const std::optional<std::string>& text) {
    if (text) {
        json.value(*text);
    } else {
        json.null();
    }
}

std::string status_fix(const Hint& hint, const std::string& program) {
    if (hint.kind == Hint::Kind::run) {
        return program + " " + hint.command + (hint.more.empty() ? "" : " " + hint.more);
    }
    return hint.command;
}

} // namespace pjats::cli
