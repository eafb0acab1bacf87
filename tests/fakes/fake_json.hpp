#pragma once

// RapidJSON helpers for the fakes' .cpp files. Internal: include it only from .cpp files
// (headers of the fakes stay free of RapidJSON).

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pjats::fakes {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Runs `fill` on a fresh writer and returns the text it wrote.
std::string build_json(const std::function<void(JsonWriter&)>& fill);

// The compact JSON text of a value.
std::string to_json(const rapidjson::Value& value);

// Writes `text` (already valid JSON) as a raw value.
void write_raw(JsonWriter& w, const std::string& text);

void write_string(JsonWriter& w, std::string_view key, std::string_view value);
void write_optional_string(JsonWriter& w,
                           std::string_view key,
                           const std::optional<std::string>& value);
void write_int(JsonWriter& w, std::string_view key, std::int64_t value);
void write_bool(JsonWriter& w, std::string_view key, bool value);
void write_null(JsonWriter& w, std::string_view key);
void write_strings(JsonWriter& w, std::string_view key, const std::vector<std::string>& values);

// A human-readable name of a value's JSON type ("string", "number", ...).
std::string type_name(const rapidjson::Value& value);

// True for a JSON number that is an integer representable as int64.
bool is_integer(const rapidjson::Value& value);

// {"errors":[{"message": message, "field": field?}]} (Greenhouse).
std::string greenhouse_error(std::string_view message, std::string_view field = {});

// {"code": code, "message": message} (Lever).
std::string lever_error(std::string_view code, std::string_view message);

// {"error": error, "error_description": description} (OAuth 2.0).
std::string oauth_error(std::string_view error, std::string_view description);

} // namespace pjats::fakes
