// The fake's notes and files of an opportunity (lever-api.md §2.7).
#include "fake_data.hpp"
#include "fake_http.hpp"
#include "fake_json.hpp"
#include "fake_lever.hpp"
#include "lever_pagination.hpp"

#include <algorithm>

namespace pjats::fakes {

namespace {

constexpr const char* k_json = "application/json";
// Lever's documented cap for POST /opportunities/:id/files.
constexpr std::size_t k_max_file_bytes = std::size_t{30} * 1024 * 1024;

void reply(httplib::Response& res, int status, std::string_view code, std::string_view message) {
    res.status = status;
    res.set_content(lever_error(code, message), k_json);
}

void bad_request(httplib::Response& res, std::string_view message) {
    reply(res, 400, "BadRequestError", message);
}

} // namespace

void FakeLever::add_card_routes(RouteTable& table) {
    const ApiFlavor lv = ApiFlavor::lever;
    const auto bind =
        [this](void (FakeLever::*method)(const httplib::Request&, httplib::Response&)) {
            return [this, method](const httplib::Request& req, httplib::Response& res) {
                (this->*method)(req, res);
            };
        };
    table.add("POST", R"(/v1/opportunities/([^/]+)/notes)", "POST /v1/opportunities/:id/notes",
              lv, bind(&FakeLever::create_note));
    table.add("GET", R"(/v1/opportunities/([^/]+)/notes)", "GET /v1/opportunities/:id/notes",
              lv, bind(&FakeLever::list_notes));
    table.add("POST", R"(/v1/opportunities/([^/]+)/files)", "POST /v1/opportunities/:id/files",
              lv, bind(&FakeLever::upload_file));
    table.add("GET", R"(/v1/opportunities/([^/]+)/files)", "GET /v1/opportunities/:id/files",
              lv, bind(&FakeLever::list_files));
}

std::optional<std::string> FakeLever::perform_as_of(const httplib::Request& req,
                                                    httplib::Response& res, bool required) {
    if (!req.has_param("perform_as") || req.get_param_value("perform_as").empty()) {
        if (required) {
            bad_request(res, "Missing perform_as parameter. Please specify a user for which to "
                             "perform this create.");
            return std::nullopt;
        }
        return std::string();
    }
    if (req.get_param_value_count("perform_as") > 1) {
        bad_request(res, "perform_as given more than once");
        return std::nullopt;
    }
    const std::string id = req.get_param_value("perform_as");
    const auto user = std::find_if(k_lever_users.begin(), k_lever_users.end(),
                                   [&](auto& u) { return u.id == id; });
    if (user == k_lever_users.end()) {
        bad_request(res, "perform_as user " + id + " was not found");
        return std::nullopt;
    }
    if (user->deactivated) {
        bad_request(res, "perform_as user " + id + " is deactivated");
        return std::nullopt;
    }
    return id;
}

void FakeLever::create_note(const httplib::Request& req, httplib::Response& res) {
    if (!authorize(req, res, "notes", true)) {
        return;
    }
    const std::string opportunity = req.matches[1];
    if (!m_store.find(opportunity)) {
        return reply(res, 404, "ResourceNotFound", "opportunities " + opportunity + " was not found");
    }
    const std::optional<std::string> user = perform_as_of(req, res, false);
    if (!user) {
        return;
    }
    if (!has_media_type(req, "application/json")) {
        return bad_request(res, "Content-Type must be application/json");
    }
    rapidjson::Document doc;
    doc.Parse(req.body.c_str(), req.body.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        return bad_request(res, "Invalid JSON body");
    }
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
        const std::string name = it->name.GetString();
        if (name != "value" && name != "secret" && name != "score" && name != "notifyFollowers"
            && name != "createdAt") {
            return bad_request(res, "Unknown field " + name);
        }
    }
    if (!doc.HasMember("value") || !doc["value"].IsString() || doc["value"].GetStringLength() == 0) {
        return bad_request(res, "Missing value: the body of the note is required");
    }
    if (doc.HasMember("secret") && !doc["secret"].IsBool()) {
        return bad_request(res, "secret must be a boolean");
    }
    if (doc.HasMember("notifyFollowers") && !doc["notifyFollowers"].IsBool()) {
        return bad_request(res, "notifyFollowers must be a boolean");
    }
    if (doc.HasMember("score")
        && (!doc["score"].IsInt() || doc["score"].GetInt() < 1 || doc["score"].GetInt() > 4)) {
        return bad_request(res, "score must be an integer from 1 to 4");
    }
    CardStore::Note note;
    note.opportunity = opportunity;
    note.value = std::string(doc["value"].GetString(), doc["value"].GetStringLength());
    note.user = *user;
    note.secret = doc.HasMember("secret") && doc["secret"].GetBool();
    note = m_card.add_note(std::move(note));
    // The real answer is the whole note plus noteId (lever-api.md §2.7).
    std::string data = CardStore::note_json(note);
    data.pop_back();
    res.status = 201;
    res.set_content("{\"data\":" + data + ",\"noteId\":\"" + note.id + "\"}}", k_json);
}

void FakeLever::list_notes(const httplib::Request& req, httplib::Response& res) {
    if (!authorize(req, res, "notes", false)) {
        return;
    }
    const std::string opportunity = req.matches[1];
    if (!m_store.find(opportunity)) {
        return reply(res, 404, "ResourceNotFound", "opportunities " + opportunity + " was not found");
    }
    const std::vector<CardStore::Note> notes = m_card.notes(opportunity);
    std::vector<PageKey> keys;
    for (const CardStore::Note& n : notes) {
        keys.push_back(PageKey{n.created_at, n.id});
    }
    std::string error;
    const std::optional<Page> page = read_page(req, keys, error);
    if (!page) {
        return bad_request(res, error);
    }
    res.set_content(
        page_json(*page, keys, [&](std::size_t i) { return CardStore::note_json(notes[i]); }),
        k_json);
}

void FakeLever::upload_file(const httplib::Request& req, httplib::Response& res) {
    if (!authorize(req, res, "files", true)) {
        return;
    }
    const std::string opportunity = req.matches[1];
    if (!m_store.find(opportunity)) {
        return reply(res, 404, "ResourceNotFound", "opportunities " + opportunity + " was not found");
    }
    const std::optional<std::string> user = perform_as_of(req, res, true);
    if (!user) {
        return;
    }
    if (!req.is_multipart_form_data()) {
        return bad_request(res, "Content-Type must be multipart/form-data");
    }
    if (req.files.size() != 1 || req.files.begin()->first != "file") {
        return bad_request(res, "Expected exactly one multipart part, named file");
    }
    const auto& part = req.files.begin()->second;
    if (part.filename.empty()) {
        return bad_request(res, "file must be a file part (with a filename)");
    }
    if (part.content.empty()) {
        return bad_request(res, "file is empty");
    }
    if (part.content.size() > k_max_file_bytes) {
        return reply(res, 413, "RequestEntityTooLarge", "Files may be at most 30 MB");
    }
    CardStore::File file;
    file.opportunity = opportunity;
    file.name = part.filename;
    file.content_type = part.content_type;
    file.bytes = part.content;
    file.user = *user;
    file = m_card.add_file(std::move(file));
    res.status = 201;
    res.set_content("{\"data\":" + CardStore::file_json(file) + "}", k_json);
}

void FakeLever::list_files(const httplib::Request& req, httplib::Response& res) {
    if (!authorize(req, res, "files", false)) {
        return;
    }
    const std::string opportunity = req.matches[1];
    if (!m_store.find(opportunity)) {
        return reply(res, 404, "ResourceNotFound", "opportunities " + opportunity + " was not found");
    }
    const std::vector<CardStore::File> files = m_card.files(opportunity);
    std::vector<PageKey> keys;
    for (const CardStore::File& f : files) {
        keys.push_back(PageKey{f.uploaded_at, f.id});
    }
    std::string error;
    const std::optional<Page> page = read_page(req, keys, error);
    if (!page) {
        return bad_request(res, error);
    }
    res.set_content(
        page_json(*page, keys, [&](std::size_t i) { return CardStore::file_json(files[i]); }),
        k_json);
}

} // namespace pjats::fakes
