// Candidate -> POST /v1/opportunities body, as JSON or as multipart/form-data parts
// (reference: lever-api.md §2.4). Both forms come from one list of fields so they cannot
// drift apart.

#include "json/reader.hpp"
#include "json/writer.hpp"
#include "model/format.hpp"

#include <pjats/lever/mapping.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <stdexcept>

namespace pjats::lever {

namespace {

constexpr std::string_view k_purpose_jobs = "Purpose Jobs";

struct Fields {
    std::string name;
    std::string headline;
    std::string location;
    std::vector<std::string> emails;
    std::vector<std::string> phones;
    std::vector<std::string> links;
    std::vector<std::string> tags;
    std::vector<std::string> sources;
    std::string origin;
    std::vector<std::string> postings;
};

void add_unique(std::vector<std::string>& items, std::string_view value) {
    if (value.empty() || std::find(items.begin(), items.end(), value) != items.end()) {
        return;
    }
    items.emplace_back(value);
}

std::string headline_of(const model::Candidate& candidate) {
    if (!candidate.headline.empty()) {
        return candidate.headline;
    }
    if (!candidate.title.empty() && !candidate.company.empty()) {
        return candidate.title + " at " + candidate.company;
    }
    return candidate.title.empty() ? candidate.company : candidate.title;
}

Fields fields_of(const model::Candidate& candidate, const OpportunityOptions& options) {
    if (!options.origin.empty() && !is_valid_origin(options.origin)) {
        throw std::invalid_argument("invalid Lever origin: " + options.origin);
    }
    Fields f;
    f.name = candidate.name;
    f.headline = headline_of(candidate);
    f.location = model::short_location(candidate.location);
    add_unique(f.emails, candidate.email);
    add_unique(f.phones, candidate.phone);
    add_unique(f.links, candidate.website);
    for (const model::SocialProfile& profile : candidate.profiles) {
        add_unique(f.links, profile.url);
    }
    add_unique(f.tags, k_purpose_jobs);
    for (const std::string& tag : options.tags) {
        add_unique(f.tags, json::trim(tag));
    }
    f.sources.emplace_back(k_purpose_jobs);
    f.origin = options.origin;
    add_unique(f.postings, options.posting_id);
    return f;
}

void add_parts(std::vector<http::FormPart>& parts,
               const std::string& name,
               const std::vector<std::string>& values) {
    for (const std::string& value : values) {
        http::FormPart part;
        part.name = name;
        part.value = value;
        parts.push_back(std::move(part));
    }
}

void add_part(std::vector<http::FormPart>& parts,
              const std::string& name,
              const std::string& value) {
    if (!value.empty()) {
        add_parts(parts, name, {value});
    }
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

} // namespace

bool is_valid_origin(std::string_view origin) {
    static constexpr std::array<std::string_view, 6> k_origins = {
        "agency", "applied", "internal", "referred", "sourced", "university"};
    return std::find(k_origins.begin(), k_origins.end(), origin) != k_origins.end();
}

std::string opportunity_json(const model::Candidate& candidate, const OpportunityOptions& options) {
    const Fields f = fields_of(candidate, options);
    json::Writer w;
    w.begin_object();
    w.optional_string("name", f.name);
    w.optional_string("headline", f.headline);
    w.optional_string("location", f.location);
    w.optional_string_array("emails", f.emails);
    if (!f.phones.empty()) {
        w.key("phones");
        w.begin_array();
        for (const std::string& phone : f.phones) {
            w.begin_object();
            w.key("value");
            w.string(phone);
            w.key("type");
            w.string("mobile");
            w.end_object();
        }
        w.end_array();
    }
    w.optional_string_array("links", f.links);
    w.optional_string_array("tags", f.tags);
    w.optional_string_array("sources", f.sources);
    w.optional_string("origin", f.origin);
    w.optional_string_array("postings", f.postings);
    w.end_object();
    return w.str();
}

std::vector<http::FormPart> opportunity_form(const model::Candidate& candidate,
                                             const OpportunityOptions& options) {
    const Fields f = fields_of(candidate, options);
    std::vector<http::FormPart> parts;
    add_part(parts, "name", f.name);
    add_part(parts, "headline", f.headline);
    add_part(parts, "location", f.location);
    add_parts(parts, "emails[]", f.emails);
    add_parts(parts, "phones[]", f.phones);
    add_parts(parts, "links[]", f.links);
    add_parts(parts, "tags[]", f.tags);
    add_parts(parts, "sources[]", f.sources);
    add_part(parts, "origin", f.origin);
    add_parts(parts, "postings[]", f.postings);
    if (!candidate.resume_file.empty()) {
        http::FormPart file;
        file.name = "resumeFile";
        file.file_path = candidate.resume_file;
        file.filename = std::filesystem::path(candidate.resume_file).filename().string();
        file.content_type = resume_content_type(file.filename);
        parts.push_back(std::move(file));
    }
    return parts;
}

bool has_resume_file(const model::Candidate& candidate) {
    if (candidate.resume_file.empty()) {
        return false;
    }
    std::error_code ec;
    return std::filesystem::is_regular_file(candidate.resume_file, ec);
}

std::string resume_content_type(std::string_view file_name) {
    const std::string extension =
        lower(std::filesystem::path(std::string(file_name)).extension().string());
    if (extension == ".pdf") {
        return "application/pdf";
    }
    if (extension == ".doc") {
        return "application/msword";
    }
    if (extension == ".docx") {
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    }
    if (extension == ".txt") {
        return "text/plain";
    }
    if (extension == ".rtf") {
        return "application/rtf";
    }
    if (extension == ".odt") {
        return "application/vnd.oasis.opendocument.text";
    }
    return "application/octet-stream";
}

} // namespace pjats::lever
