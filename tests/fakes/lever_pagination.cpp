// Lever list pagination.
#include "lever_pagination.hpp"

#include "fake_http.hpp"
#include "fake_json.hpp"

#include <algorithm>

namespace pjats::fakes {

std::optional<Page>
read_page(const httplib::Request& req, const std::vector<PageKey>& keys, std::string& error) {
    Page page;
    if (req.has_param("limit")) {
        const std::optional<std::int64_t> limit = parse_int(req.get_param_value("limit"));
        if (!limit || *limit < 1 || *limit > 100) {
            error = "limit must be an integer between 1 and 100";
            return std::nullopt;
        }
        page.limit = static_cast<std::size_t>(*limit);
    }
    if (!req.has_param("offset")) {
        return page;
    }
    error = "Invalid offset token: pass back the `next` value of a previous page";
    const std::optional<std::string> decoded = url_decode(req.get_param_value("offset"));
    if (!decoded || req.get_param_value("offset").rfind("%5B", 0) != 0) {
        return std::nullopt;
    }
    rapidjson::Document doc;
    doc.Parse(decoded->c_str(), decoded->size());
    if (doc.HasParseError() || !doc.IsArray() || doc.Size() != 2 || !doc[0].IsInt64()
        || !doc[1].IsString()) {
        return std::nullopt;
    }
    const std::int64_t sort = doc[0].GetInt64();
    const std::string id = doc[1].GetString();
    const auto it = std::find_if(
        keys.begin(), keys.end(), [&](const PageKey& k) { return k.sort == sort && k.id == id; });
    if (it == keys.end()) {
        return std::nullopt;
    }
    error.clear();
    page.start = static_cast<std::size_t>(it - keys.begin());
    return page;
}

std::string offset_token(const PageKey& key) {
    return url_encode(build_json([&](JsonWriter& w) {
        w.StartArray();
        w.Int64(key.sort);
        w.String(key.id.c_str());
        w.EndArray();
    }));
}

std::string page_json(const Page& page,
                      const std::vector<PageKey>& keys,
                      const std::function<std::string(std::size_t)>& render) {
    const std::size_t end = std::min(keys.size(), page.start + page.limit);
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        w.Key("data");
        w.StartArray();
        for (std::size_t i = page.start; i < end; ++i) {
            write_raw(w, render(i));
        }
        w.EndArray();
        const bool has_next = end < keys.size();
        write_bool(w, "hasNext", has_next);
        if (has_next) {
            write_string(w, "next", offset_token(keys[end]));
        }
        w.EndObject();
    });
}

} // namespace pjats::fakes
