// Scripted faults for the sandbox.
#include "fault_queue.hpp"

#include "fake_json.hpp"

#include <algorithm>

namespace pjats::fakes {

namespace {

std::optional<FaultAction> action_from(std::string_view name) {
    if (name == "status") {
        return FaultAction::status;
    }
    if (name == "drop_before") {
        return FaultAction::drop_before;
    }
    if (name == "drop_after") {
        return FaultAction::drop_after;
    }
    if (name == "delay") {
        return FaultAction::delay;
    }
    if (name == "huge_body") {
        return FaultAction::huge_body;
    }
    if (name == "endless_body") {
        return FaultAction::endless_body;
    }
    if (name == "drop_after_silent") {
        return FaultAction::drop_after_silent;
    }
    if (name == "echo_auth") {
        return FaultAction::echo_auth;
    }
    return std::nullopt;
}

// Reads one rule object; returns an error message or "".
std::string read_rule(const rapidjson::Value& v, FaultRule& rule) {
    if (!v.IsObject()) {
        return "each rule must be an object";
    }
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
        const std::string name = it->name.GetString();
        const rapidjson::Value& value = it->value;
        if (name == "method" || name == "path" || name == "action") {
            if (!value.IsString()) {
                return name + " must be a string";
            }
        } else if (name == "status" || name == "ms") {
            if (!value.IsInt() || value.GetInt() < 0) {
                return name + " must be a non-negative integer";
            }
        } else if (name == "times") {
            if (!value.IsInt() || value.GetInt() < k_unlimited_times) {
                return "times must be a non-negative integer, or -1 for unlimited";
            }
        } else if (name == "reused_only") {
            if (!value.IsBool()) {
                return "reused_only must be true or false";
            }
        } else if (name == "probability") {
            if (!value.IsNumber() || !(value.GetDouble() >= 0.0 && value.GetDouble() <= 1.0)) {
                return "probability must be a number from 0 to 1";
            }
        } else if (name == "retry_after") {
            if (!value.IsString() && !value.IsInt()) {
                return "retry_after must be a string or an integer";
            }
        } else {
            return "unknown rule field " + name;
        }
    }
    if (!v.HasMember("path") || !v.HasMember("action")) {
        return "a rule needs path and action";
    }
    rule.path = v["path"].GetString();
    const std::optional<FaultAction> action = action_from(v["action"].GetString());
    if (!action) {
        return "action must be status, drop_before, drop_after, drop_after_silent, delay, "
               "huge_body, endless_body or echo_auth";
    }
    rule.action = *action;
    if (v.HasMember("method")) {
        rule.method = v["method"].GetString();
    }
    if (rule.action == FaultAction::echo_auth) {
        rule.status = 401;
    }
    if (v.HasMember("status")) {
        rule.status = v["status"].GetInt();
        if (rule.status < 100 || rule.status > 599) {
            return "status must be an HTTP status";
        }
    }
    if (v.HasMember("retry_after")) {
        const rapidjson::Value& ra = v["retry_after"];
        rule.retry_after = ra.IsString() ? ra.GetString() : std::to_string(ra.GetInt());
    }
    if (v.HasMember("ms")) {
        rule.ms = v["ms"].GetInt();
    }
    if (v.HasMember("times")) {
        rule.times = v["times"].GetInt();
    }
    if (v.HasMember("reused_only")) {
        rule.reused_only = v["reused_only"].GetBool();
    }
    if (v.HasMember("probability")) {
        rule.probability = v["probability"].GetDouble();
    }
    return "";
}

} // namespace

std::optional<std::vector<FaultRule>> parse_fault_rules(const std::string& json,
                                                        std::string& error) {
    rapidjson::Document doc;
    doc.Parse(json.c_str(), json.size());
    if (doc.HasParseError() || !doc.IsArray()) {
        error = "the body must be a JSON array of rules";
        return std::nullopt;
    }
    std::vector<FaultRule> rules;
    for (const rapidjson::Value& v : doc.GetArray()) {
        FaultRule rule;
        error = read_rule(v, rule);
        if (!error.empty()) {
            error = "rule " + std::to_string(rules.size()) + ": " + error;
            return std::nullopt;
        }
        rules.push_back(rule);
    }
    return rules;
}

void FaultQueue::append(const std::vector<FaultRule>& rules) {
    std::lock_guard lock(m_mutex);
    for (const FaultRule& rule : rules) {
        if (rule.times > 0 || rule.times == k_unlimited_times) {
            m_rules.push_back(rule);
        }
    }
}

// `pattern` equals `path`, where a pattern segment "*" stands for any one segment
// ("/v1/opportunities/*/notes").
static bool path_matches(const std::string& pattern, const std::string& path) {
    std::size_t p = 0;
    std::size_t q = 0;
    while (p < pattern.size() && q < path.size()) {
        if (pattern[p] == '*' && p > 0 && pattern[p - 1] == '/'
            && (p + 1 == pattern.size() || pattern[p + 1] == '/')) {
            const std::size_t end = path.find('/', q);
            if (end == q) {
                return false; // an empty segment is not a segment
            }
            q = end == std::string::npos ? path.size() : end;
            ++p;
            continue;
        }
        if (pattern[p] != path[q]) {
            return false;
        }
        ++p;
        ++q;
    }
    return p == pattern.size() && q == path.size();
}

std::optional<FaultRule> FaultQueue::take(const std::string& method,
                                          const std::string& path,
                                          bool reused,
                                          const std::function<double()>& uniform01) {
    std::lock_guard lock(m_mutex);
    for (auto it = m_rules.begin(); it != m_rules.end(); ++it) {
        const FaultRule& rule = *it;
        if (!path_matches(rule.path, path) || (!rule.method.empty() && rule.method != method)
            || (rule.reused_only && !reused)) {
            continue;
        }
        if (rule.probability < 1.0 && !(uniform01 && uniform01() < rule.probability)) {
            continue;
        }
        FaultRule fired = rule;
        if (it->times != k_unlimited_times && --it->times <= 0) {
            m_rules.erase(it);
        }
        return fired;
    }
    return std::nullopt;
}

void FaultQueue::clear() {
    std::lock_guard lock(m_mutex);
    m_rules.clear();
}

std::size_t FaultQueue::pending() const {
    std::lock_guard lock(m_mutex);
    return m_rules.size();
}

} // namespace pjats::fakes
