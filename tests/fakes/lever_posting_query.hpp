#pragma once

// The filters of GET /v1/postings (lever-api.md §2.8): state, distributionChannel,
// confidentiality, team, department, location, commitment, tag (each repeatable, a union
// within one filter) and updated_at_start/_end (only combinable with confidentiality).
// Published postings are listed only when they appear on the public job site, unless
// distributionChannel names the channels wanted.

#include "lever_postings.hpp"

#include <httplib.h>

#include <cstdint>
#include <optional>
#include <string>

namespace pjats::fakes {

class PostingQuery {
  public:
    // Checks the query's values; nullopt with `error` (a 400 message) when one is invalid.
    static std::optional<PostingQuery> parse(const httplib::Request& req, std::string& error);

    // True when `posting` belongs in the list.
    bool matches(const Posting& posting) const;

  private:
    explicit PostingQuery(const httplib::Request& req)
        : m_req(req) {}

    const httplib::Request& m_req;
    std::int64_t m_updated_start = 0;
    std::int64_t m_updated_end = INT64_MAX;
};

} // namespace pjats::fakes
