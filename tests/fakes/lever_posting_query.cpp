// The filters of GET /v1/postings.
#include "lever_posting_query.hpp"

#include "fake_http.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace pjats::fakes {

namespace {

// Every value of a repeatable parameter must be one of `allowed`.
template <std::size_t N>
bool check_values(const httplib::Request& req,
                  const char* name,
                  const std::array<std::string_view, N>& allowed,
                  std::string& error) {
    for (std::size_t i = 0; i < req.get_param_value_count(name); ++i) {
        const std::string v = req.get_param_value(name, i);
        if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
            error = "Invalid " + std::string(name) + ": " + v;
            return false;
        }
    }
    return true;
}

// True when `name` is absent or one of its values equals `value`.
bool param_matches(const httplib::Request& req, const char* name, const std::string& value) {
    const std::size_t n = req.get_param_value_count(name);
    for (std::size_t i = 0; i < n; ++i) {
        if (req.get_param_value(name, i) == value) {
            return true;
        }
    }
    return n == 0;
}

} // namespace

std::optional<PostingQuery> PostingQuery::parse(const httplib::Request& req, std::string& error) {
    static constexpr std::array<std::string_view, 6> k_states = {
        "published", "internal", "closed", "draft", "pending", "rejected"};
    static constexpr std::array<std::string_view, 2> k_channels = {"public", "internal"};
    static constexpr std::array<std::string_view, 3> k_confidentiality = {
        "confidential", "non-confidential", "all"};
    if (!check_values(req, "state", k_states, error)
        || !check_values(req, "distributionChannel", k_channels, error)
        || !check_values(req, "confidentiality", k_confidentiality, error)) {
        return std::nullopt;
    }
    PostingQuery query(req);
    const bool by_update = req.has_param("updated_at_start") || req.has_param("updated_at_end");
    for (const auto& [name, value] : req.params) {
        if (by_update && name != "updated_at_start" && name != "updated_at_end"
            && name != "confidentiality" && name != "limit" && name != "offset") {
            error = "updated_at_ parameters can only be combined with confidentiality";
            return std::nullopt;
        }
    }
    for (const char* name : {"updated_at_start", "updated_at_end"}) {
        if (req.has_param(name) && !parse_int(req.get_param_value(name))) {
            error = std::string(name) + " must be a timestamp in milliseconds";
            return std::nullopt;
        }
    }
    query.m_updated_start = parse_int(req.get_param_value("updated_at_start")).value_or(0);
    query.m_updated_end = parse_int(req.get_param_value("updated_at_end")).value_or(INT64_MAX);
    return query;
}

bool PostingQuery::matches(const Posting& p) const {
    const httplib::Request& req = m_req;
    // Every generated posting is non-confidential.
    if (req.get_param_value("confidentiality") == "confidential") {
        return false;
    }
    if (p.state == "published") {
        const bool visible =
            req.has_param("distributionChannel") ? std::any_of(
                p.distribution_channels->begin(),
                p.distribution_channels->end(),
                [&](const std::string& c) { return param_matches(req, "distributionChannel", c); })
                                                 : on_channel(p, "public");
        if (!visible) {
            return false;
        }
    }
    const bool tagged =
        !req.has_param("tag") || std::any_of(p.tags.begin(), p.tags.end(), [&](auto& t) {
            return param_matches(req, "tag", t);
        });
    return tagged && param_matches(req, "state", p.state) && param_matches(req, "team", p.team)
           && param_matches(req, "department", p.department)
           && param_matches(req, "location", p.location)
           && param_matches(req, "commitment", p.commitment) && p.updated_at >= m_updated_start
           && p.updated_at <= m_updated_end;
}

} // namespace pjats::fakes
