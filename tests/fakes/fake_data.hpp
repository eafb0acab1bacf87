#pragma once

// Sample accounts served by the sandbox fakes. Tests, the benchmark and docs/sandbox.md
// use these values; change them only together.

#include <array>
#include <cstdint>
#include <string_view>

namespace pjats::fakes {

// ---- Greenhouse Candidate Ingestion ------------------------------------------------------

// The Candidate Ingestion API key (sent as Basic base64(key + ":")).
inline constexpr std::string_view k_greenhouse_api_key = "gh_sandbox_0d031d8227eafa61dc37";

// Organizations: every key and user belongs to one. "acme" is the sample account; a
// rotated key of it, and "globex", another customer on the same API URL (an agency with
// two clients), let tests tell organizations apart. A key sees only its organization's
// users (others are "not found": Greenhouse 401, Lever 404) and candidates.
struct ApiKey {
    std::string_view key;
    std::string_view organization;
};

inline constexpr std::string_view k_greenhouse_rotated_key = "gh_sandbox_rotated_41be92c7";
inline constexpr std::string_view k_greenhouse_globex_key = "gh_sandbox_globex_9c07d3aa";
inline constexpr std::array<ApiKey, 3> k_greenhouse_keys = {{
    {k_greenhouse_api_key, "acme"},
    {k_greenhouse_rotated_key, "acme"},
    {k_greenhouse_globex_key, "globex"},
}};

struct GreenhouseUser {
    std::int64_t id;
    std::string_view email;
    std::string_view first_name;
    std::string_view last_name;
    bool active;
    bool basic; // a Basic user: may create candidates and prospects, may not read candidates
    std::string_view organization = "acme";
};

// On-Behalf-Of users: the active recruiter (site admin), a disabled user (every request →
// 401), two active recruiters to credit sends to: Alan, a Basic user (reads of candidates
// → 403, reference §1.6), and Grace, a site admin; and an interviewer who may not view
// candidates either (GET /v1/partner/candidates → 403); and Globex's recruiter.
inline constexpr std::array<GreenhouseUser, 6> k_greenhouse_users = {{
    {1234, "recruiter@acme.example", "Riley", "Recruiter", true, false},
    {1235, "disabled@acme.example", "Dana", "Disabled", false, false},
    {1236, "alan.turing@acme.example", "Alan", "Turing", true, true},
    {1237, "grace.hopper@acme.example", "Grace", "Hopper", true, false},
    {1238, "interviewer@acme.example", "Ira", "Interviewer", true, true},
    {2001, "recruiter@globex.example", "Gil", "Globex", true, false, "globex"},
}};

inline constexpr std::string_view k_greenhouse_on_behalf_of = "recruiter@acme.example";
inline constexpr std::string_view k_greenhouse_disabled_user = "disabled@acme.example";

struct GreenhouseJob {
    std::int64_t id;
    std::string_view name;
    bool is_public;
};

// Open jobs visible to the recruiter (GET /v1/partner/jobs; valid `job_id` values).
inline constexpr std::array<GreenhouseJob, 2> k_greenhouse_jobs = {{
    {4690, "Senior Engineer", true},
    {4691, "Product Manager", false},
}};

struct GreenhousePoolStage {
    std::int64_t id;
    std::string_view name;
};

struct GreenhousePool {
    std::int64_t id;
    std::string_view name;
    std::array<GreenhousePoolStage, 2> stages;
};

// Prospect pools (valid `prospect_pool_id` / `prospect_pool_stage_id` values).
inline constexpr std::array<GreenhousePool, 2> k_greenhouse_pools = {{
    {123, "Cold Outreach: Referred", {{{1957, "Not Contacted"}, {1958, "Contacted"}}}},
    {456, "Cold Outreach: Sourced", {{{1962, "Not Contacted"}, {1963, "Contacted"}}}},
}};

// ---- Lever v1 ------------------------------------------------------------------------------

// The Lever API key (sent as Basic base64(key + ":")); OAuth grants reach "acme".
inline constexpr std::string_view k_lever_api_key = "lever_sandbox_6a1f0c";
inline constexpr std::string_view k_lever_rotated_key = "lever_sandbox_rotated_b71e";
inline constexpr std::string_view k_lever_globex_key = "lever_sandbox_globex_3f9a";
inline constexpr std::array<ApiKey, 3> k_lever_keys = {{
    {k_lever_api_key, "acme"},
    {k_lever_rotated_key, "acme"},
    {k_lever_globex_key, "globex"},
}};

struct LeverUser {
    std::string_view id;
    std::string_view name;
    std::string_view email;
    std::string_view access_role;
    std::int64_t created_at;
    bool deactivated;
    std::string_view organization = "acme";
};

// Lever users; the deactivated one is hidden from GET /v1/users and refused as perform_as.
// The last one is Globex's (another organization).
inline constexpr std::array<LeverUser, 4> k_lever_users = {{
    {"7f3c2a10-5b1e-4d2f-9a8c-1e2d3c4b5a61",
     "Riley Recruiter",
     "recruiter@acme.example",
     "super admin",
     1690000000000,
     false},
    {"2b8e4f6a-9c1d-4e3f-8a7b-6c5d4e3f2a10",
     "Alex Admin",
     "admin@acme.example",
     "admin",
     1690000100000,
     false},
    {"9d1e2f3a-4b5c-4d6e-8f7a-0b1c2d3e4f5a",
     "Frankie Former",
     "former@acme.example",
     "team member",
     1690000200000,
     true},
    {"5e0c7a21-3d4b-4c5d-8e6f-7a8b9c0d1e2f",
     "Gil Globex",
     "recruiter@globex.example",
     "super admin",
     1690000300000,
     false,
     "globex"},
}};

// The user who authorizes OAuth grants (the Super Admin).
inline constexpr std::string_view k_lever_recruiter_id = "7f3c2a10-5b1e-4d2f-9a8c-1e2d3c4b5a61";
inline constexpr std::string_view k_lever_admin_id = "2b8e4f6a-9c1d-4e3f-8a7b-6c5d4e3f2a10";
inline constexpr std::string_view k_lever_deactivated_id = "9d1e2f3a-4b5c-4d6e-8f7a-0b1c2d3e4f5a";
inline constexpr std::string_view k_lever_account_id = "acme-sandbox-account";

// Two postings with fixed ids: one published (public job site), one closed.
inline constexpr std::string_view k_lever_published_posting_id =
    "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456";
inline constexpr std::string_view k_lever_closed_posting_id =
    "closed00-1a2b-4c3d-9e8f-abcdef123456";

// Number of generated postings when --postings is not given (> 100: two pages).
inline constexpr int k_default_posting_count = 130;

struct LeverStage {
    std::string_view id;
    std::string_view text;
};

// Pipeline stages with the fixed ids real accounts use for the built-in ones.
inline constexpr std::array<LeverStage, 8> k_lever_stages = {{
    {"lead-new", "New lead"},
    {"lead-reached-out", "Reached out"},
    {"lead-responded", "Responded"},
    {"applicant-new", "New applicant"},
    {"3b1f9c2e-7d4a-4e8b-9f1c-2a3b4c5d6e70", "Recruiter screen"},
    {"5c2e8d3f-1a4b-4c9d-8e7f-6a5b4c3d2e10", "On-site interview"},
    {"offer", "Offer"},
    {"hired", "Hired"},
}};

struct LeverArchiveReason {
    std::string_view id;
    std::string_view text;
    std::string_view type; // "hired" or "non-hired"
};

// Archive reasons (GET /v1/archive_reasons[?type=hired|non-hired]).
inline constexpr std::array<LeverArchiveReason, 4> k_lever_archive_reasons = {{
    {"63dd55b2-a99f-4e7b-985f-22c7bf80ab42", "Hired", "hired"},
    {"a1f0c3d2-5b6e-4f7a-8b9c-0d1e2f3a4b5c", "Hired - contractor", "hired"},
    {"7e1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d", "Withdrew", "non-hired"},
    {"2d3c4b5a-6f7e-4d8c-9b0a-1e2d3c4b5a69", "Underqualified", "non-hired"},
}};

// ---- Lever OAuth -----------------------------------------------------------------------------

inline constexpr std::string_view k_oauth_client_id = "pjats-sandbox-client";
inline constexpr std::string_view k_oauth_client_secret = "pjats-sandbox-secret";
// The `audience` Lever documents; "<sandbox base URL>/v1/" is accepted as well.
inline constexpr std::string_view k_lever_audience = "https://api.lever.co/v1/";
inline constexpr int k_default_token_ttl_seconds = 3600;
inline constexpr int k_authorization_code_ttl_seconds = 600;

} // namespace pjats::fakes
