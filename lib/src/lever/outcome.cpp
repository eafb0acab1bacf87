// What track asks Lever: one opportunity's stage and archive state, the stage names and
// which archive reasons are hires (lever-api.md §2).
#include "lever/decode_json.hpp"

#include <pjats/http/url.hpp>
#include <pjats/lever/client.hpp>
#include <pjats/lever/model.hpp>

namespace pjats::lever {

namespace {



std::int64_t read_ms(const rapidjson::Value& object, const char* key, const std::string& path,
                     json::Problems& problems) {
    const std::optional<double> value = json::read_number(object, key, path, problems);
    return value ? static_cast<std::int64_t>(*value) : 0;
}

} // namespace

Result<OpportunityStatus> decode_opportunity_status(std::string_view body) {
    const std::string origin = "Lever opportunity response";
    auto doc = parse(body, origin);
    if (!doc) {
        return std::move(doc).error();
    }
    json::Problems problems(origin);
    const rapidjson::Value* data = json::read_object(*doc, "data", "", problems);
    if (data == nullptr) {
        if (problems.empty()) {
            problems.add("data", "missing");
        }
        return decode_error(problems);
    }
    OpportunityStatus out;
    out.id = json::read_string(*data, "id", "data", problems);
    if (const rapidjson::Value* stage = json::find_member(*data, "stage");
        stage != nullptr && stage->IsObject()) {
        out.stage = json::read_string(*stage, "id", "data.stage", problems); // expand=stage
    } else {
        out.stage = json::read_string(*data, "stage", "data", problems);
    }
    if (const rapidjson::Value* archived = json::read_object(*data, "archived", "data", problems)) {
        out.archived_at = read_ms(*archived, "archivedAt", "data.archived", problems);
        out.archive_reason = json::read_string(*archived, "reason", "data.archived", problems);
    }
    if (const rapidjson::Value* apps = json::find_member(*data, "applications");
        apps != nullptr && apps->IsArray()) {
        for (const auto& app : apps->GetArray()) {
            if (app.IsString()) {
                out.applications.emplace_back(app.GetString(), app.GetStringLength());
            }
        }
    }
    if (const rapidjson::Value* urls = json::read_object(*data, "urls", "data", problems)) {
        out.link = json::read_string(*urls, "show", "data.urls", problems);
    }
    if (out.id.empty() && problems.empty()) {
        problems.add("data.id", "missing");
    }
    if (!problems.empty()) {
        return decode_error(problems);
    }
    return out;
}

Result<Page<NamedItem>> decode_named_page(std::string_view body) {
    const std::string origin = "Lever list response";
    auto doc = parse(body, origin);
    if (!doc) {
        return std::move(doc).error();
    }
    json::Problems problems(origin);
    Page<NamedItem> page;
    const rapidjson::Value* single = json::find_member(*doc, "data");
    if (single != nullptr && single->IsObject()) {
        // Lever's own ?type=hired example shows "data" as one object (lever-api.md §2).
        page.items.push_back({json::read_string(*single, "id", "data", problems),
                              json::read_string(*single, "text", "data", problems)});
    } else if (const rapidjson::Value* data = json::read_array(*doc, "data", "", problems)) {
        for (rapidjson::SizeType i = 0; i < data->Size(); ++i) {
            const std::string path = json::index_path("data", i);
            if (!(*data)[i].IsObject()) {
                problems.add(path, "expected an object");
                break;
            }
            page.items.push_back({json::read_string((*data)[i], "id", path, problems),
                                  json::read_string((*data)[i], "text", path, problems)});
        }
    } else if (problems.empty()) {
        problems.add("data", "missing");
    }
    const rapidjson::Value* has_next = json::find_member(*doc, "hasNext");
    page.has_next = has_next != nullptr && has_next->IsBool() && has_next->GetBool();
    page.next = json::read_string(*doc, "next", "", problems);
    if (!problems.empty()) {
        return decode_error(problems);
    }
    return page;
}

Result<OpportunityStatus> Client::opportunity(const std::string& id) {
    auto response =
        send(make_request("GET", "/opportunities/" + http::url_encode(id)), "opportunity");
    if (!response) {
        return std::move(response).error();
    }
    return decode_opportunity_status(response->body);
}

Result<std::vector<NamedItem>> Client::named_list(const std::string& path,
                                                  std::string_view what) {
    std::vector<NamedItem> all;
    auto walked = walk_pages(path, what, [&all](const std::string& body) -> Result<PageCursor> {
        auto page = decode_named_page(body);
        if (!page) {
            return std::move(page).error();
        }
        for (NamedItem& item : page->items) {
            all.push_back(std::move(item));
        }
        return PageCursor{page->has_next, page->next};
    });
    if (!walked) {
        return std::move(walked).error();
    }
    return all;
}

Result<std::vector<NamedItem>> Client::stages() {
    return named_list("/stages?", "stages");
}

Result<std::vector<NamedItem>> Client::archive_reasons(const std::string& type) {
    return named_list("/archive_reasons?type=" + http::url_encode(type), "archive reasons");
}

} // namespace pjats::lever
