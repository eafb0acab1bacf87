// Per-application tracking for sync: the record hash and the plan for one application.

#include "tracking.hpp"

#include <pjats/core/fingerprint.hpp>
#include <pjats/core/json_writer.hpp>

namespace pjats::sync::detail {

namespace {

void strings(JsonWriter& json, const char* name, const std::vector<std::string>& values) {
    json.key(name).begin_array();
    for (const std::string& value : values) {
        json.value(value);
    }
    json.end_array();
}

// `values` as an array inside an array.
void items(JsonWriter& json, const std::vector<std::string>& values) {
    json.begin_array();
    for (const std::string& value : values) {
        json.value(value);
    }
    json.end_array();
}

} // namespace

std::string record_hash(const model::Candidate& c) {
    JsonWriter json;
    json.begin_object();
    json.key("id").value(c.id).key("name").value(c.name);
    json.key("first_name").value(c.first_name).key("last_name").value(c.last_name);
    json.key("headline").value(c.headline).key("email").value(c.email);
    json.key("phone").value(c.phone).key("website").value(c.website);
    json.key("summary").value(c.summary);
    json.key("location").begin_array();
    json.value(c.location.address).value(c.location.postal_code).value(c.location.city);
    json.value(c.location.region).value(c.location.country_code);
    json.end_array();
    json.key("profiles").begin_array();
    for (const model::SocialProfile& profile : c.profiles) {
        json.begin_array().value(profile.network).value(profile.username).value(profile.url);
        json.end_array();
    }
    json.end_array();
    json.key("company").value(c.company).key("title").value(c.title);
    strings(json, "skills", c.skills);
    strings(json, "values", c.values);
    strings(json, "interests", c.interests);
    if (c.salary) {
        json.key("salary").begin_array();
        json.value(c.salary->min ? std::to_string(*c.salary->min) : std::string());
        json.value(c.salary->max ? std::to_string(*c.salary->max) : std::string());
        json.value(c.salary->currency).value(c.salary->period);
        json.end_array();
    }
    json.key("resume_url").value(c.resume_url).key("resume_file").value(c.resume_file);
    json.key("resume").begin_array();
    for (const model::Skill& skill : c.skill_details) {
        json.value(skill.name).value(skill.level);
        items(json, skill.keywords);
    }
    for (const model::WorkEntry& job : c.work) {
        json.value(job.position).value(job.company).value(job.start_date).value(job.end_date);
        json.value(job.summary);
        items(json, job.highlights);
    }
    for (const model::EducationEntry& entry : c.education) {
        json.value(entry.study_type).value(entry.area).value(entry.institution);
        json.value(entry.start_date).value(entry.end_date);
    }
    for (const model::Language& language : c.languages) {
        json.value(language.language).value(language.fluency);
    }
    for (const model::Certificate& certificate : c.certificates) {
        json.value(certificate.name).value(certificate.issuer).value(certificate.date);
    }
    json.end_array();
    // The validation rules the hash was taken under: a record rejected under older rules
    // (before one-word names were accepted) is tried once more.
    json.key("rules").value("2");
    json.end_object();
    return sha256_hex(json.str());
}

std::string rejected_record_meta(const ledger::Key& key) {
    return "rejected_record|" + key.account + "|" + key.target + "|" + key.destination + "|"
           + key.candidate_id;
}

std::string source_error_meta(const std::string& account,
                              const std::string& job_id,
                              const std::string& message) {
    return "reported_source_error|" + account + "|" + job_id + "|" + sha256_hex(message);
}

Plan plan_for(const std::optional<ledger::Entry>& entry,
              const std::string& hash,
              const model::Candidate& candidate,
              bool before_cursor,
              bool retry_failed) {
    if (!entry) {
        return Plan::send;
    }
    switch (entry->state) {
    case ledger::State::sent:
    case ledger::State::review:
        // After the cursor the engine reports them (skipped / review) as before.
        return before_cursor ? Plan::settled : Plan::send;
    case ledger::State::failed:
        if (entry->temporary || retry_failed || hash.empty() || hash != record_hash(candidate)) {
            return Plan::send;
        }
        return before_cursor ? Plan::settled : Plan::unchanged;
    case ledger::State::pending:
        return Plan::send;
    }
    return Plan::send;
}

std::string step_row_id(const ledger::Key& key) {
    return key.account + '\n' + key.candidate_id + '\n' + key.target + '\n' + key.destination;
}

Result<std::set<std::string>> rows_with_open_steps(ledger::Ledger& ledger) {
    auto open = ledger.open_steps();
    if (!open) {
        return std::move(open).error();
    }
    std::set<std::string> rows;
    for (const ledger::KeyedStep& item : *open) {
        rows.insert(step_row_id(item.key));
    }
    return rows;
}

} // namespace pjats::sync::detail
