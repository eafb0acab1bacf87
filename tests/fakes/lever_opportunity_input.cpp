// The body of POST /v1/opportunities from JSON or multipart/form-data.
#include "lever_opportunity_input.hpp"

#include "fake_data.hpp"
#include "fake_http.hpp"
#include "fake_json.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <string_view>

namespace pjats::fakes {

namespace {

using rapidjson::Value;

constexpr std::array<std::string_view, 6> k_origins = {
    "agency", "applied", "internal", "referred", "sourced", "university"};

constexpr std::array<std::string_view, 8> k_scalars = {
    "name", "headline", "stage", "location", "origin", "owner", "contact", "opportunityLocation"};

constexpr std::array<std::string_view, 6> k_string_arrays = {
    "emails", "links", "tags", "sources", "postings", "followers"};

std::optional<std::string>* scalar_slot(OpportunityInput& in, std::string_view name) {
    if (name == "name") {
        return &in.name;
    }
    if (name == "headline") {
        return &in.headline;
    }
    if (name == "stage") {
        return &in.stage;
    }
    if (name == "location") {
        return &in.location;
    }
    if (name == "origin") {
        return &in.origin;
    }
    if (name == "owner") {
        return &in.owner;
    }
    if (name == "contact") {
        return &in.contact;
    }
    return &in.opportunity_location;
}

std::vector<std::string>* array_slot(OpportunityInput& in, std::string_view name) {
    if (name == "emails") {
        return &in.emails;
    }
    if (name == "links") {
        return &in.links;
    }
    if (name == "tags") {
        return &in.tags;
    }
    if (name == "sources") {
        return &in.sources;
    }
    if (name == "postings") {
        return &in.postings;
    }
    return &in.followers;
}

template <typename List>
bool contains(const List& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

bool is_active_user(const std::string& id) {
    return std::any_of(k_lever_users.begin(), k_lever_users.end(), [&](const LeverUser& u) {
        return u.id == id && !u.deactivated;
    });
}

// Checks that need only the fixed sample data; returns an error message or "".
std::string check_values(const OpportunityInput& in) {
    if (in.origin && !contains(k_origins, *in.origin)) {
        return "origin must be one of agency, applied, internal, referred, sourced, university";
    }
    if (in.stage && std::none_of(k_lever_stages.begin(), k_lever_stages.end(), [&](auto& s) {
            return s.id == *in.stage;
        })) {
        return "stage " + *in.stage + " was not found";
    }
    if (in.owner && !is_active_user(*in.owner)) {
        return "owner " + *in.owner + " is not an active user";
    }
    for (const std::string& follower : in.followers) {
        if (!is_active_user(follower)) {
            return "follower " + follower + " is not an active user";
        }
    }
    for (const std::string& email : in.emails) {
        if (email.empty()) {
            return "emails must not contain empty strings";
        }
    }
    if (in.postings.size() > 1) {
        return "Specifying multiple posting UIDs is not allowed: send one request per posting";
    }
    if (in.archived && in.archived->reason.empty()) {
        return "archived.reason is required";
    }
    return "";
}

std::string read_json_phones(const Value& v, OpportunityInput& in) {
    if (!v.IsArray()) {
        return "phones must be an array of {value, type} objects";
    }
    for (const Value& p : v.GetArray()) {
        if (!p.IsObject()) {
            return "phones must be an array of {value, type} objects";
        }
        PhoneInput phone;
        for (auto it = p.MemberBegin(); it != p.MemberEnd(); ++it) {
            const std::string key = it->name.GetString();
            if ((key != "value" && key != "type") || !it->value.IsString()) {
                return "phones[] entries have only string fields value and type (got " + key + ")";
            }
        }
        if (!p.HasMember("value") || p["value"].GetStringLength() == 0) {
            return "phones[].value is required";
        }
        phone.value = p["value"].GetString();
        if (p.HasMember("type")) {
            phone.type = p["type"].GetString();
        }
        in.phones.push_back(phone);
    }
    return "";
}

std::string read_json_archived(const Value& v, OpportunityInput& in) {
    if (!v.IsObject()) {
        return "archived must be an object {archivedAt, reason}";
    }
    ArchivedInput archived;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
        const std::string key = it->name.GetString();
        if (key == "reason" && it->value.IsString()) {
            archived.reason = it->value.GetString();
        } else if (key == "archivedAt" && it->value.IsInt64()) {
            archived.archived_at = it->value.GetInt64();
        } else {
            return "archived has only archivedAt (a timestamp) and reason (a string); got " + key;
        }
    }
    in.archived = archived;
    return "";
}

// Reads one top-level JSON member; returns an error message or "".
std::string read_json_member(const std::string& key, const Value& v, OpportunityInput& in) {
    if (contains(k_scalars, key)) {
        if (!v.IsString()) {
            return key + " must be a string, not " + type_name(v);
        }
        *scalar_slot(in, key) = v.GetString();
        return "";
    }
    if (contains(k_string_arrays, key)) {
        if (!v.IsArray()) {
            return key + " must be an array of strings, not " + type_name(v);
        }
        for (const Value& item : v.GetArray()) {
            if (!item.IsString()) {
                return key + " must be an array of strings";
            }
            array_slot(in, key)->push_back(item.GetString());
        }
        return "";
    }
    if (key == "phones") {
        return read_json_phones(v, in);
    }
    if (key == "archived") {
        return read_json_archived(v, in);
    }
    if (key == "createdAt") {
        if (!v.IsInt64()) {
            return "createdAt must be a timestamp in milliseconds";
        }
        in.created_at = v.GetInt64();
        return "";
    }
    if (key == "resumeFile" || key == "files") {
        return key + " is only supported in multipart/form-data requests";
    }
    return "Unknown field: " + key;
}

} // namespace

std::optional<OpportunityInput> parse_opportunity_json(const std::string& body,
                                                       std::string& error) {
    rapidjson::Document doc;
    doc.Parse(body.c_str(), body.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        error = "The body must be a JSON object";
        return std::nullopt;
    }
    OpportunityInput in;
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
        error = read_json_member(it->name.GetString(), it->value, in);
        if (!error.empty()) {
            return std::nullopt;
        }
    }
    error = check_values(in);
    if (!error.empty()) {
        return std::nullopt;
    }
    in.body_json = to_json(doc);
    return in;
}

std::optional<OpportunityInput> parse_opportunity_form(const httplib::MultipartFormDataMap& parts,
                                                       std::string& error) {
    OpportunityInput in;
    in.multipart = true;
    std::map<std::string, int> seen;
    auto fail = [&](std::string message) -> std::optional<OpportunityInput> {
        error = std::move(message);
        return std::nullopt;
    };
    for (const auto& [name, part] : parts) {
        in.part_names.push_back(name);
        const int count = ++seen[name];
        const bool is_file = !part.filename.empty();
        const bool is_array = name.size() > 2 && name.ends_with("[]");
        const std::string base = is_array ? name.substr(0, name.size() - 2) : name;
        if (name == "resumeFile" || base == "files" || name == "files") {
            if (!is_file) {
                return fail(name + " must be a file part (with a filename)");
            }
            if (name == "resumeFile" && count > 1) {
                return fail("Only one resume file may be specified");
            }
            if (part.content.empty()) {
                return fail(name + " is empty");
            }
            FileInput file{name, part.filename, part.content_type, part.content.size()};
            if (name == "resumeFile") {
                in.resume = file;
            } else {
                in.files.push_back(file);
            }
            continue;
        }
        if (is_file) {
            return fail(name + " must be a text field, not a file");
        }
        if (is_array && (contains(k_string_arrays, base) || base == "phones")) {
            if (base == "phones") {
                in.phones.push_back(PhoneInput{part.content, std::nullopt});
            } else {
                array_slot(in, base)->push_back(part.content);
            }
            continue;
        }
        if (!is_array && (contains(k_string_arrays, name) || name == "phones")) {
            return fail("Unknown field: " + name + " (send one " + name
                        + "[] part per value in multipart/form-data)");
        }
        if (count > 1) {
            return fail(name + " given more than once");
        }
        if (contains(k_scalars, name)) {
            *scalar_slot(in, name) = part.content;
        } else if (name == "createdAt") {
            in.created_at = parse_int(part.content);
            if (!in.created_at) {
                return fail("createdAt must be a timestamp in milliseconds");
            }
        } else if (name == "archived[reason]" || name == "archived[archivedAt]") {
            if (!in.archived) {
                in.archived = ArchivedInput{};
            }
            if (name == "archived[reason]") {
                in.archived->reason = part.content;
            } else if (!(in.archived->archived_at = parse_int(part.content))) {
                return fail("archived[archivedAt] must be a timestamp in milliseconds");
            }
        } else {
            return fail("Unknown field: " + name);
        }
    }
    error = check_values(in);
    if (!error.empty()) {
        return std::nullopt;
    }
    in.body_json = build_json([&](JsonWriter& w) {
        w.StartObject();
        for (const std::string_view name : k_scalars) {
            const std::optional<std::string>& value = *scalar_slot(in, name);
            if (value) {
                write_string(w, name, *value);
            }
        }
        for (const std::string_view name : k_string_arrays) {
            const std::vector<std::string>& values = *array_slot(in, name);
            if (!values.empty()) {
                write_strings(w, name, values);
            }
        }
        if (!in.phones.empty()) {
            std::vector<std::string> phones;
            for (const PhoneInput& p : in.phones) {
                phones.push_back(p.value);
            }
            write_strings(w, "phones", phones);
        }
        if (in.created_at) {
            write_int(w, "createdAt", *in.created_at);
        }
        if (in.archived) {
            w.Key("archived");
            w.StartObject();
            write_string(w, "reason", in.archived->reason);
            if (in.archived->archived_at) {
                write_int(w, "archivedAt", *in.archived->archived_at);
            }
            w.EndObject();
        }
        w.EndObject();
    });
    return in;
}

} // namespace pjats::fakes
