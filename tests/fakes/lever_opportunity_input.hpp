#pragma once

// The body of POST /v1/opportunities, read from JSON or multipart/form-data and checked
// against the documented field table (lever-api.md §2.4). Unknown fields are refused.

#include <httplib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pjats::fakes {

struct PhoneInput {
    std::string value;
    std::optional<std::string> type;
};

struct FileInput {
    std::string field;
    std::string filename;
    std::string content_type;
    std::size_t size = 0;
};

struct ArchivedInput {
    std::optional<std::int64_t> archived_at;
    std::string reason;
};

struct OpportunityInput {
    std::optional<std::string> name;
    std::optional<std::string> headline;
    std::optional<std::string> stage;
    std::optional<std::string> location;
    std::optional<std::string> origin;
    std::optional<std::string> owner;
    std::optional<std::string> contact;
    std::optional<std::string> opportunity_location;
    std::vector<std::string> emails;
    std::vector<PhoneInput> phones;
    std::vector<std::string> links;
    std::vector<std::string> tags;
    std::vector<std::string> sources;
    std::vector<std::string> postings;
    std::vector<std::string> followers;
    std::optional<std::int64_t> created_at;
    std::optional<ArchivedInput> archived;
    std::optional<FileInput> resume;
    std::vector<FileInput> files;

    bool multipart = false;
    std::vector<std::string> part_names; // multipart part names (grouped by name)
    std::string body_json;               // the body as a JSON object (multipart: rebuilt)
};

// Parses an application/json body. On a problem returns nullopt and sets `error`
// (the message of a 400 BadRequestError).
std::optional<OpportunityInput> parse_opportunity_json(const std::string& body, std::string& error);

// Parses multipart/form-data parts: scalar fields once, arrays as repeated `name[]`,
// `resumeFile` (at most one) and `files[]` as file parts.
std::optional<OpportunityInput> parse_opportunity_form(const httplib::MultipartFormDataMap& parts,
                                                       std::string& error);

} // namespace pjats::fakes
