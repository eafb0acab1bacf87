#pragma once

// Lever list pagination: `limit` 1..100 (default 100) and `offset`, an opaque token that
// only the server makes. A page is {"data":[...], "hasNext":bool, "next":"<token>"?}.
//
// Tokens look like Lever's real ones: a percent-encoded JSON array, e.g.
// "%5B1700000000000%2C%22<id>%22%5D". Clients must pass `next` back as an ordinary query
// value (percent-encoding it again); a token sent raw, altered or made up gets 400.

#include <httplib.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pjats::fakes {

// Identifies a list item for a token: its sort key (a timestamp) and its id.
struct PageKey {
    std::int64_t sort = 0;
    std::string id;
};

struct Page {
    std::size_t start = 0;
    std::size_t limit = 100;
};

// Reads limit/offset for a list whose items are `keys` (in list order). On a bad value
// returns nullopt and sets `error`.
std::optional<Page>
read_page(const httplib::Request& req, const std::vector<PageKey>& keys, std::string& error);

// The token that makes a list continue at `key`.
std::string offset_token(const PageKey& key);

// The page's JSON; `render(i)` gives the JSON of item i.
std::string page_json(const Page& page,
                      const std::vector<PageKey>& keys,
                      const std::function<std::string(std::size_t)>& render);

} // namespace pjats::fakes
