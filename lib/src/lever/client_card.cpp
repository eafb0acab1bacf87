// The card's follow-up calls of the Lever client: notes and files on an opportunity
// (lever-api.md §2.7).

#include "json/reader.hpp"
#include "json/writer.hpp"

#include <pjats/http/url.hpp>
#include <pjats/lever/client.hpp>

#include <utility>

namespace pjats::lever {

namespace {

constexpr std::size_t k_max_body = 64u * 1024u * 1024u;

Result<rapidjson::Document> parse_body(const std::string& body, const std::string& origin) {
    rapidjson::Document doc;
    auto parsed = json::parse_document(doc, body, origin, k_max_body);
    if (!parsed) {
        Error error = std::move(parsed).error();
        error.kind = ErrorKind::decode;
        return error;
    }
    if (!doc.IsObject()) {
        return make_error(ErrorKind::decode, origin + ": expected a JSON object");
    }
    return doc;
}

// data.<first non-empty of `keys`> of a create answer; a 2xx without it is an unknown
// outcome (the server most likely acted).
Result<std::string> created_id(const http::Response& response, const std::string& origin,
                               std::initializer_list<const char*> keys) {
    auto doc = parse_body(response.body, origin);
    json::Problems problems(origin);
    const rapidjson::Value* data = doc ? json::read_object(*doc, "data", "", problems) : nullptr;
    if (data != nullptr) {
        for (const char* key : keys) {
            std::string id = json::read_string(*data, key, "data", problems);
            if (!id.empty()) {
                return id;
            }
        }
    }
    Error error = make_error(ErrorKind::decode, origin + ": the answer has no id");
    error.outcome_unknown = true;
    error.http_status = static_cast<int>(response.status);
    return error;
}

Error perform_as_missing() {
    Error error =
        make_error(ErrorKind::config, "no Lever perform_as user is configured", "perform_as");
    return with_run_hint(std::move(error), "configure lever --perform-as-email EMAIL");
}

std::string opportunity_path(const std::string& id, std::string_view what) {
    return "/opportunities/" + http::url_encode(id) + "/" + std::string(what);
}

// One page's {"data": [...], "hasNext", "next"}: `each` gets every object of data.
Result<std::pair<bool, std::string>>
read_page(const std::string& body, const std::string& origin,
          const std::function<void(const rapidjson::Value&, json::Problems&)>& each) {
    auto doc = parse_body(body, origin);
    if (!doc) {
        return std::move(doc).error();
    }
    json::Problems problems(origin);
    if (const rapidjson::Value* data = json::read_array(*doc, "data", "", problems)) {
        for (const rapidjson::Value& item : data->GetArray()) {
            if (item.IsObject()) {
                each(item, problems);
            }
        }
    }
    const rapidjson::Value* has_next = json::find_member(*doc, "hasNext");
    const bool more = has_next != nullptr && has_next->IsBool() && has_next->GetBool();
    std::string next = json::read_string(*doc, "next", "", problems);
    if (!problems.empty()) {
        Error error = problems.to_error();
        error.kind = ErrorKind::decode;
        return error;
    }
    return std::make_pair(more, std::move(next));
}

} // namespace

Result<std::string> Client::create_note(const std::string& opportunity_id,
                                        const std::string& text,
                                        const std::string& perform_as) {
    std::string path = opportunity_path(opportunity_id, "notes");
    if (!perform_as.empty()) {
        path += "?perform_as=" + http::url_encode(perform_as);
    }
    http::Request request = make_request("POST", path);
    request.headers.push_back({"Content-Type", "application/json"});
    json::Writer w;
    w.begin_object();
    w.key("value");
    w.string(text);
    w.end_object();
    request.body = w.str();
    auto response = send(std::move(request), "add note");
    if (!response) {
        return std::move(response).error();
    }
    return created_id(*response, "Lever add note response", {"noteId", "id"});
}

Result<std::vector<Client::NoteText>> Client::list_notes(const std::string& opportunity_id) {
    std::vector<NoteText> all;
    const std::string origin = "Lever notes list";
    auto walked = walk_pages(
        opportunity_path(opportunity_id, "notes") + "?", "notes lookup",
        [&](const std::string& body) -> Result<PageCursor> {
            auto page = read_page(body, origin, [&](const rapidjson::Value& note,
                                                    json::Problems& problems) {
                NoteText item;
                item.id = json::read_string(note, "id", "data[]", problems);
                item.text = json::read_string(note, "text", "data[]", problems);
                if (const rapidjson::Value* fields = json::find_member(note, "fields");
                    fields != nullptr && fields->IsArray()) {
                    for (const rapidjson::Value& field : fields->GetArray()) {
                        const rapidjson::Value* value =
                            field.IsObject() ? json::find_member(field, "value") : nullptr;
                        if (value != nullptr && value->IsString()) {
                            item.text += "\n" + std::string(value->GetString(),
                                                            value->GetStringLength());
                        }
                    }
                }
                all.push_back(std::move(item));
            });
            if (!page) {
                return std::move(page).error();
            }
            return PageCursor{page->first, page->second};
        });
    if (!walked) {
        return std::move(walked).error();
    }
    return all;
}

Result<std::string> Client::upload_file(const std::string& opportunity_id,
                                        const std::string& file_path,
                                        const std::string& file_name,
                                        const std::string& content_type,
                                        const std::string& perform_as) {
    if (perform_as.empty()) {
        return perform_as_missing();
    }
    http::Request request = make_request(
        "POST", opportunity_path(opportunity_id, "files") + "?perform_as="
                    + http::url_encode(perform_as));
    http::FormPart part;
    part.name = "file";
    part.file_path = file_path;
    part.filename = file_name;
    part.content_type = content_type;
    request.form.push_back(std::move(part));
    auto response = send(std::move(request), "upload file");
    if (!response) {
        return std::move(response).error();
    }
    return created_id(*response, "Lever upload file response", {"id"});
}

Result<std::vector<Client::FileName>> Client::list_files(const std::string& opportunity_id) {
    std::vector<FileName> all;
    const std::string origin = "Lever files list";
    auto walked = walk_pages(
        opportunity_path(opportunity_id, "files") + "?", "files lookup",
        [&](const std::string& body) -> Result<PageCursor> {
            auto page = read_page(body, origin, [&](const rapidjson::Value& file,
                                                    json::Problems& problems) {
                FileName item;
                item.id = json::read_string(file, "id", "data[]", problems);
                item.name = json::read_string(file, "name", "data[]", problems);
                all.push_back(std::move(item));
            });
            if (!page) {
                return std::move(page).error();
            }
            return PageCursor{page->first, page->second};
        });
    if (!walked) {
        return std::move(walked).error();
    }
    return all;
}

} // namespace pjats::lever
