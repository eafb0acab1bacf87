// Decoders for Lever Data API responses. Every field is optional and nullable (real data
// has null where the docs show arrays, lever-api.md §2.0); a present field of the wrong
// type is a decode error with its JSON path.

#include "lever/decode_json.hpp"

#include <pjats/lever/model.hpp>

#include <cmath>
#include <functional>

namespace pjats::lever {

namespace {

using json::member_path;
using json::Problems;
using json::read_string;



std::int64_t read_millis(const rapidjson::Value& object,
                         std::string_view key,
                         const std::string& path,
                         Problems& problems) {
    const std::optional<double> value = json::read_number(object, key, path, problems);
    if (!value || !std::isfinite(*value) || std::fabs(*value) > 9.0e15) {
        return 0;
    }
    return static_cast<std::int64_t>(*value);
}

std::optional<bool> read_bool(const rapidjson::Value& object,
                              std::string_view key,
                              const std::string& path,
                              Problems& problems) {
    const rapidjson::Value* value = json::find_member(object, key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->IsBool()) {
        problems.add(member_path(path, key),
                     std::string("expected a boolean, got ") + json::type_name(*value));
        return std::nullopt;
    }
    return value->GetBool();
}

// An id that `expand` may have replaced by the whole object: "uuid" or {"id": "uuid", ...}.
std::string id_of(const rapidjson::Value& value, const std::string& path, Problems& problems) {
    if (value.IsObject()) {
        return read_string(value, "id", path, problems);
    }
    if (value.IsString() || value.IsNull()) {
        return json::string_value(value, path, problems);
    }
    problems.add(path,
                 std::string("expected a string or an object, got ") + json::type_name(value));
    return {};
}

std::string read_ref(const rapidjson::Value& object,
                     std::string_view key,
                     const std::string& path,
                     Problems& problems) {
    const rapidjson::Value* value = json::find_member(object, key);
    return value == nullptr ? std::string() : id_of(*value, member_path(path, key), problems);
}

void require_id(const std::string& id, const std::string& path, Problems& problems) {
    if (id.empty()) {
        problems.add(member_path(path, "id"), "missing");
    }
}

PostingCategories
decode_categories(const rapidjson::Value& posting, const std::string& path, Problems& problems) {
    PostingCategories out;
    const rapidjson::Value* object = json::read_object(posting, "categories", path, problems);
    if (object == nullptr) {
        return out;
    }
    const std::string here = member_path(path, "categories");
    out.team = read_string(*object, "team", here, problems);
    out.department = read_string(*object, "department", here, problems);
    out.location = read_string(*object, "location", here, problems);
    out.commitment = read_string(*object, "commitment", here, problems);
    out.level = read_string(*object, "level", here, problems);
    out.all_locations = json::read_string_array(*object, "allLocations", here, problems);
    return out;
}

PostingContent
decode_content(const rapidjson::Value& posting, const std::string& path, Problems& problems) {
    PostingContent out;
    const rapidjson::Value* object = json::read_object(posting, "content", path, problems);
    if (object == nullptr) {
        return out;
    }
    const std::string here = member_path(path, "content");
    out.description = read_string(*object, "description", here, problems);
    out.description_html = read_string(*object, "descriptionHtml", here, problems);
    out.closing = read_string(*object, "closing", here, problems);
    out.closing_html = read_string(*object, "closingHtml", here, problems);
    if (const rapidjson::Value* lists = json::read_array(*object, "lists", here, problems)) {
        const std::string lists_path = member_path(here, "lists");
        for (rapidjson::SizeType i = 0; i < lists->Size(); ++i) {
            const std::string item_path = json::index_path(lists_path, i);
            const rapidjson::Value& item = (*lists)[i];
            if (item.IsNull()) {
                continue;
            }
            if (!item.IsObject()) {
                problems.add(item_path,
                             std::string("expected an object, got ") + json::type_name(item));
                continue;
            }
            PostingList list;
            list.text = read_string(item, "text", item_path, problems);
            list.content = read_string(item, "content", item_path, problems);
            out.lists.push_back(std::move(list));
        }
    }
    return out;
}

std::optional<SalaryRange>
decode_salary(const rapidjson::Value& posting, const std::string& path, Problems& problems) {
    const rapidjson::Value* object = json::read_object(posting, "salaryRange", path, problems);
    if (object == nullptr) {
        return std::nullopt;
    }
    const std::string here = member_path(path, "salaryRange");
    SalaryRange out;
    out.min = json::read_number(*object, "min", here, problems);
    out.max = json::read_number(*object, "max", here, problems);
    out.currency = read_string(*object, "currency", here, problems);
    out.interval = read_string(*object, "interval", here, problems);
    if (!out.min && !out.max) {
        return std::nullopt;
    }
    return out;
}

Posting
decode_posting_value(const rapidjson::Value& object, const std::string& path, Problems& problems) {
    Posting out;
    out.id = read_string(object, "id", path, problems);
    require_id(out.id, path, problems);
    out.text = read_string(object, "text", path, problems);
    out.state = read_string(object, "state", path, problems);
    out.confidentiality = read_string(object, "confidentiality", path, problems);
    out.categories = decode_categories(object, path, problems);
    out.content = decode_content(object, path, problems);
    out.created_at = read_millis(object, "createdAt", path, problems);
    out.updated_at = read_millis(object, "updatedAt", path, problems);
    out.workplace_type = read_string(object, "workplaceType", path, problems);
    out.country = read_string(object, "country", path, problems);
    out.salary_range = decode_salary(object, path, problems);
    out.salary_description = read_string(object, "salaryDescription", path, problems);
    if (const rapidjson::Value* urls = json::read_object(object, "urls", path, problems)) {
        const std::string here = member_path(path, "urls");
        out.urls.list = read_string(*urls, "list", here, problems);
        out.urls.show = read_string(*urls, "show", here, problems);
        out.urls.apply = read_string(*urls, "apply", here, problems);
    }
    out.distribution_channels =
        json::read_string_array(object, "distributionChannels", path, problems);
    out.tags = json::read_string_array(object, "tags", path, problems);
    out.owner = read_ref(object, "owner", path, problems);
    out.hiring_manager = read_ref(object, "hiringManager", path, problems);
    return out;
}

User decode_user_value(const rapidjson::Value& object,
                       const std::string& path,
                       Problems& problems) {
    User out;
    out.id = read_string(object, "id", path, problems);
    require_id(out.id, path, problems);
    out.name = read_string(object, "name", path, problems);
    out.email = read_string(object, "email", path, problems);
    out.access_role = read_string(object, "accessRole", path, problems);
    out.deactivated_at = read_millis(object, "deactivatedAt", path, problems);
    return out;
}

OpportunitySummary decode_opportunity_value(const rapidjson::Value& object,
                                            const std::string& path,
                                            Problems& problems) {
    OpportunitySummary out;
    out.id = read_string(object, "id", path, problems);
    require_id(out.id, path, problems);
    out.contact = read_ref(object, "contact", path, problems);
    out.stage = read_ref(object, "stage", path, problems);
    out.origin = read_string(object, "origin", path, problems);
    out.created_at = read_millis(object, "createdAt", path, problems);
    out.tags = json::read_string_array(object, "tags", path, problems);
    out.emails = json::read_string_array(object, "emails", path, problems);
    if (const rapidjson::Value* apps = json::read_array(object, "applications", path, problems)) {
        const std::string here = member_path(path, "applications");
        for (rapidjson::SizeType i = 0; i < apps->Size(); ++i) {
            std::string id = id_of((*apps)[i], json::index_path(here, i), problems);
            if (!id.empty()) {
                out.applications.push_back(std::move(id));
            }
        }
    }
    out.archived = json::read_object(object, "archived", path, problems) != nullptr;
    return out;
}

template <typename T>
using ItemDecoder = T (*)(const rapidjson::Value&, const std::string&, Problems&);

template <typename T>
Result<Page<T>> decode_page(std::string_view body, const std::string& origin, ItemDecoder<T> item) {
    auto doc = parse(body, origin);
    if (!doc) {
        return std::move(doc).error();
    }
    Problems problems(origin);
    Page<T> page;
    if (const rapidjson::Value* data = json::read_array(*doc, "data", "", problems)) {
        for (rapidjson::SizeType i = 0; i < data->Size() && problems.empty(); ++i) {
            const std::string path = json::index_path("data", i);
            const rapidjson::Value& value = (*data)[i];
            if (!value.IsObject()) {
                problems.add(path,
                             std::string("expected an object, got ") + json::type_name(value));
                break;
            }
            page.items.push_back(item(value, path, problems));
        }
    } else if (problems.empty()) {
        problems.add("data", "missing");
    }
    page.has_next = read_bool(*doc, "hasNext", "", problems).value_or(false);
    page.next = read_string(*doc, "next", "", problems);
    if (!problems.empty()) {
        return decode_error(problems);
    }
    return page;
}

// The object in "data" of a single-record response.
Result<const rapidjson::Value*> data_object(const rapidjson::Document& doc, Problems& problems) {
    const rapidjson::Value* data = json::read_object(doc, "data", "", problems);
    if (data == nullptr) {
        if (problems.empty()) {
            problems.add("data", "missing");
        }
        return decode_error(problems);
    }
    return data;
}

} // namespace

Result<Posting> decode_posting(std::string_view body) {
    const std::string origin = "Lever posting response";
    auto doc = parse(body, origin);
    if (!doc) {
        return std::move(doc).error();
    }
    Problems problems(origin);
    auto data = data_object(*doc, problems);
    if (!data) {
        return std::move(data).error();
    }
    Posting posting = decode_posting_value(**data, "data", problems);
    if (!problems.empty()) {
        return decode_error(problems);
    }
    return posting;
}

Result<Page<Posting>> decode_postings_page(std::string_view body) {
    return decode_page<Posting>(body, "Lever postings response", decode_posting_value);
}

Result<Page<User>> decode_users_page(std::string_view body) {
    return decode_page<User>(body, "Lever users response", decode_user_value);
}

Result<Page<OpportunitySummary>> decode_opportunities_page(std::string_view body) {
    return decode_page<OpportunitySummary>(
        body, "Lever opportunities response", decode_opportunity_value);
}

Result<CreatedOpportunity> decode_created_opportunity(std::string_view body) {
    const std::string origin = "Lever create opportunity response";
    auto doc = parse(body, origin);
    if (!doc) {
        return std::move(doc).error();
    }
    Problems problems(origin);
    auto data = data_object(*doc, problems);
    if (!data) {
        return std::move(data).error();
    }
    CreatedOpportunity out;
    out.id = read_string(**data, "id", "data", problems);
    require_id(out.id, "data", problems);
    out.contact = read_ref(**data, "contact", "data", problems);
    out.deduped = read_bool(*doc, "deduped", "", problems).value_or(false);
    if (!problems.empty()) {
        return decode_error(problems);
    }
    return out;
}

Error decode_error(const json::Problems& problems) {
    Error error = problems.to_error();
    error.kind = ErrorKind::decode;
    return error;
}

Result<rapidjson::Document> parse(std::string_view body, const std::string& origin) {
    rapidjson::Document doc;
    auto parsed = json::parse_document(doc, body, origin, k_max_json_body);
    if (!parsed) {
        Error error = std::move(parsed).error();
        error.kind = ErrorKind::decode;
        return error;
    }
    if (!doc.IsObject()) {
        return make_error(ErrorKind::decode,
                          origin + ": expected a JSON object, got " + json::type_name(doc));
    }
    return doc;
}

} // namespace pjats::lever
