#pragma once

// Lever v1 Data API records as plain structs, and decoders for the response bodies that
// carry them (lever-api.md §2-3). Decoders tolerate null and unknown fields, accept
// expanded objects where Lever allows `expand`, and fail with a `decode` error naming the
// JSON path of the first field of the wrong type ("data[3].categories.team: expected a
// string, got number"). Strings are empty and numbers 0 when absent.

#include <pjats/core/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pjats::lever {

// GET /v1/users
struct User {
    std::string id;
    std::string name;
    std::string email;
    std::string access_role;         // "super admin", "admin", "team member", ...
    std::int64_t deactivated_at = 0; // ms since the epoch; 0 while active
};

struct PostingCategories {
    std::string team;
    std::string department;
    std::string location;
    std::string commitment; // "Full-time", "Part-time", "Contract", "Intern", ...
    std::string level;
    std::vector<std::string> all_locations;
};

// One section of content.lists: a heading and its HTML <li> items.
struct PostingList {
    std::string text;
    std::string content;
};

struct PostingContent {
    std::string description;
    std::string description_html;
    std::vector<PostingList> lists;
    std::string closing;
    std::string closing_html;
};

struct SalaryRange {
    std::optional<double> min;
    std::optional<double> max;
    std::string currency; // ISO 4217, e.g. "USD"
    std::string interval; // "per-year-salary", "per-month-salary", "per-hour-wage", ...
};

struct PostingUrls {
    std::string list;  // the account's hosted job site
    std::string show;  // this posting's page
    std::string apply; // its application form
};

// GET /v1/postings[/:id]
struct Posting {
    std::string id;
    std::string text;  // the title
    std::string state; // published, internal, closed, draft, pending, rejected
    std::string confidentiality;
    PostingCategories categories;
    PostingContent content;
    std::int64_t created_at = 0; // ms since the epoch
    std::int64_t updated_at = 0;
    std::string workplace_type; // unspecified, onsite, remote, hybrid
    std::string country;        // ISO 3166-1 alpha-2
    std::optional<SalaryRange> salary_range;
    std::string salary_description;
    PostingUrls urls;
    std::vector<std::string> distribution_channels; // public, internal (null observed)
    std::vector<std::string> tags;
    std::string owner;          // user id (also when expanded)
    std::string hiring_manager; // user id (also when expanded)
};

// POST /v1/opportunities response: the opportunity id, its contact (the person) and
// Lever's undocumented top-level `deduped` flag (an existing contact was reused).
struct CreatedOpportunity {
    std::string id;
    std::string contact;
    bool deduped = false;
};

// GET /v1/opportunities list items, reduced to what lookups need.
struct OpportunitySummary {
    std::string id;
    std::string contact;
    std::string stage; // stage id, e.g. "lead-new"
    std::string origin;
    std::int64_t created_at = 0; // ms since the epoch
    std::vector<std::string> tags;
    std::vector<std::string> applications; // application ids (≤ 1)
    std::vector<std::string> emails;       // the contact's e-mails (audit)
    bool archived = false;
};

// GET /v1/opportunities/:id, reduced to where the candidate stands (track).
struct OpportunityStatus {
    std::string id;
    std::string stage;                     // stage id; its text comes from GET /v1/stages
    std::int64_t archived_at = 0;          // ms since the epoch; 0 while not archived
    std::string archive_reason;            // archive reason id
    std::vector<std::string> applications; // application ids (≤ 1)
    std::string link;                      // urls.show
};

// An item of GET /v1/stages or GET /v1/archive_reasons.
struct NamedItem {
    std::string id;
    std::string text;
};

// One page of a list endpoint: {"data": [...], "hasNext": bool, "next": "<token>"}.
template <typename T>
struct Page {
    std::vector<T> items;
    bool has_next = false;
    std::string next; // opaque offset token; empty on the last page
};

// {"data": {posting}}
Result<Posting> decode_posting(std::string_view body);
Result<Page<Posting>> decode_postings_page(std::string_view body);
Result<Page<User>> decode_users_page(std::string_view body);
Result<Page<OpportunitySummary>> decode_opportunities_page(std::string_view body);
// {"data": {opportunity}}
Result<OpportunityStatus> decode_opportunity_status(std::string_view body);
// {"data": [{"id","text"}], "hasNext", "next"}
Result<Page<NamedItem>> decode_named_page(std::string_view body);
// {"data": {opportunity}, "deduped": bool}
Result<CreatedOpportunity> decode_created_opportunity(std::string_view body);

} // namespace pjats::lever
