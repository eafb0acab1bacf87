// Candidate -> POST /v1/partner/candidates body. Only the request fields listed in the
// Candidate Ingestion docs are written (reference: greenhouse-ingestion-api.md §2.2).

#include "json/writer.hpp"
#include "model/format.hpp"
#include "model/resume_text.hpp"

#include <pjats/greenhouse/mapping.hpp>

#include <string_view>
#include <vector>

namespace pjats::greenhouse {

namespace {

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const std::string& item : items) {
        if (!out.empty()) {
            out += separator;
        }
        out += item;
    }
    return out;
}

void add_line(std::vector<std::string>& lines, std::string_view label, std::string_view value) {
    if (!value.empty()) {
        lines.push_back(std::string(label) + ": " + model::cut_entry(value));
    }
}

void add_lines(std::vector<std::string>& lines, std::vector<std::string> more) {
    lines.insert(lines.end(), more.begin(), more.end());
}

// [{"<value_key>": value, "type": type}] when `value` is not empty.
void typed_entry(json::Writer& w,
                 std::string_view name,
                 std::string_view value_key,
                 std::string_view value,
                 std::string_view type) {
    if (value.empty()) {
        return;
    }
    w.key(name);
    w.begin_array();
    w.begin_object();
    w.key(value_key);
    w.string(value);
    w.key("type");
    w.string(type);
    w.end_object();
    w.end_array();
}

void social_media(json::Writer& w, const std::vector<model::SocialProfile>& profiles) {
    std::vector<std::string> urls;
    for (const model::SocialProfile& profile : profiles) {
        if (profile.url.empty()) {
            continue;
        }
        bool seen = false;
        for (const std::string& url : urls) {
            seen = seen || url == profile.url;
        }
        if (!seen) {
            urls.push_back(profile.url);
        }
    }
    if (urls.empty()) {
        return;
    }
    w.key("social_media");
    w.begin_array();
    for (const std::string& url : urls) {
        w.begin_object();
        w.key("url");
        w.string(url);
        w.end_object();
    }
    w.end_array();
}

} // namespace

NameParts name_parts(const model::Candidate& candidate) {
    NameParts parts{candidate.first_name, candidate.last_name};
    if (parts.first.empty()) {
        std::swap(parts.first, parts.last);
    }
    if (parts.first.empty()) {
        parts.first = candidate.name;
    }
    if (parts.last.empty() && !parts.first.empty()) {
        parts.last = k_single_name_placeholder;
    }
    return parts;
}

std::string candidate_notes(const model::Candidate& candidate) {
    std::vector<std::string> lines;
    add_line(lines, "Headline", candidate.headline);
    add_line(lines, "Summary", candidate.summary);
    add_lines(lines, model::skill_lines(candidate));
    add_line(lines, "Values", join(candidate.values, ", "));
    add_line(lines, "Interests", join(candidate.interests, ", "));
    if (candidate.salary) {
        add_line(lines, "Salary", model::format_salary(*candidate.salary));
    }
    add_lines(lines, model::history_lines(candidate));
    if (candidate.id.empty()) {
        std::string notes = model::fit_note(lines, "");
        while (!notes.empty() && notes.back() == '\n') {
            notes.pop_back();
        }
        return notes;
    }
    return model::fit_note(lines, "Purpose Jobs profile: " + candidate.id);
}

std::string candidate_body(const model::Candidate& candidate, const CandidateOptions& options) {
    json::Writer w;
    w.begin_object();
    const NameParts names = name_parts(candidate);
    w.optional_string("first_name", names.first);
    w.optional_string("last_name", names.last);
    w.optional_string("external_id", candidate.id);
    // Always explicit: Greenhouse defaults `prospect` to true.
    w.key("prospect");
    w.boolean(!options.job_id.has_value());
    if (options.job_id) {
        w.key("job_id");
        w.integer(*options.job_id);
    } else {
        if (options.pool_id) {
            w.key("prospect_pool_id");
            w.integer(*options.pool_id);
        }
        if (options.pool_id && options.pool_stage_id) {
            w.key("prospect_pool_stage_id");
            w.integer(*options.pool_stage_id);
        }
        w.optional_string("prospect_owner_email", options.prospect_owner_email);
    }
    w.optional_string("company", candidate.company);
    w.optional_string("title", candidate.title);
    w.optional_string("resume", candidate.resume_url);
    typed_entry(w, "emails", "email", candidate.email, "personal");
    typed_entry(w, "phone_numbers", "phone_number", candidate.phone, "mobile");
    typed_entry(w, "addresses", "address", model::one_line_address(candidate.location), "home");
    typed_entry(w, "websites", "url", candidate.website, "personal");
    social_media(w, candidate.profiles);
    w.optional_string("notes", candidate_notes(candidate));
    w.end_object();
    return w.str();
}

} // namespace pjats::greenhouse
