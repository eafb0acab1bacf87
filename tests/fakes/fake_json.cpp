// RapidJSON helpers for the fakes.
#include "fake_json.hpp"

namespace pjats::fakes {

namespace {

void key(JsonWriter& w, std::string_view name) {
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
}

void string_value(JsonWriter& w, std::string_view value) {
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

} // namespace

std::string build_json(const std::function<void(JsonWriter&)>& fill) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    fill(w);
    return {buffer.GetString(), buffer.GetSize()};
}

std::string to_json(const rapidjson::Value& value) {
    return build_json([&](JsonWriter& w) { value.Accept(w); });
}

void write_raw(JsonWriter& w, const std::string& text) {
    w.RawValue(text.data(), text.size(), rapidjson::kObjectType);
}

void write_string(JsonWriter& w, std::string_view name, std::string_view value) {
    key(w, name);
    string_value(w, value);
}

void write_optional_string(JsonWriter& w,
                           std::string_view name,
                           const std::optional<std::string>& value) {
    key(w, name);
    if (value) {
        string_value(w, *value);
    } else {
        w.Null();
    }
}

void write_int(JsonWriter& w, std::string_view name, std::int64_t value) {
    key(w, name);
    w.Int64(value);
}

void write_bool(JsonWriter& w, std::string_view name, bool value) {
    key(w, name);
    w.Bool(value);
}

void write_null(JsonWriter& w, std::string_view name) {
    key(w, name);
    w.Null();
}

void write_strings(JsonWriter& w, std::string_view name, const std::vector<std::string>& values) {
    key(w, name);
    w.StartArray();
    for (const std::string& value : values) {
        string_value(w, value);
    }
    w.EndArray();
}

std::string type_name(const rapidjson::Value& value) {
    switch (value.GetType()) {
    case rapidjson::kNullType:
        return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
        return "boolean";
    case rapidjson::kObjectType:
        return "object";
    case rapidjson::kArrayType:
        return "array";
    case rapidjson::kStringType:
        return "string";
    case rapidjson::kNumberType:
        return "number";
    }
    return "unknown";
}

bool is_integer(const rapidjson::Value& value) {
    return value.IsInt64();
}

std::string greenhouse_error(std::string_view message, std::string_view field) {
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        key(w, "errors");
        w.StartArray();
        w.StartObject();
        write_string(w, "message", message);
        if (!field.empty()) {
            write_string(w, "field", field);
        }
        w.EndObject();
        w.EndArray();
        w.EndObject();
    });
}

std::string lever_error(std::string_view code, std::string_view message) {
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        write_string(w, "code", code);
        write_string(w, "message", message);
        w.EndObject();
    });
}

std::string oauth_error(std::string_view error, std::string_view description) {
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        write_string(w, "error", error);
        write_string(w, "error_description", description);
        w.EndObject();
    });
}

} // namespace pjats::fakes
