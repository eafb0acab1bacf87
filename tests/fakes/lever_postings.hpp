#pragma once

// Generated Lever postings: a deterministic mix of states (published on the public and/or
// internal job site, internal, closed, draft, pending, rejected) with realistic fields.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pjats::fakes {

struct SalaryRange {
    std::int64_t min = 0;
    std::int64_t max = 0;
    std::string currency;
    std::string interval; // "per-year-salary", "per-hour-wage"
};

struct Posting {
    std::string id;
    std::string text;
    std::string state;
    std::optional<std::vector<std::string>> distribution_channels; // null for drafts
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::string user;
    std::string owner;
    std::optional<std::string> hiring_manager;
    std::string team;
    std::string department;
    std::string location;
    std::string commitment;
    std::vector<std::string> tags;
    std::string country;
    std::string workplace_type;
    std::string description;
    std::vector<std::pair<std::string, std::string>> lists; // {text, HTML <li> content}
    std::string closing;
    std::optional<SalaryRange> salary;
    bool salary_null = false; // salaryRange written as null instead of omitted
};

// `count` postings (at least 2): [0] is k_lever_published_posting_id (published, public),
// [1] is k_lever_closed_posting_id (closed); the rest cycle through the states.
std::vector<Posting> generate_postings(int count);

// The posting as Lever's API returns it (content included).
std::string posting_json(const Posting& posting);

// True when a published posting appears on the given job site ("public" or "internal").
bool on_channel(const Posting& posting, const std::string& channel);

} // namespace pjats::fakes
