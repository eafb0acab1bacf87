#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pjats {

// A small streaming JSON writer for command output (keeps RapidJSON out of public
// headers). Calls must be well nested; keys only inside objects.
class JsonWriter {
  public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
    JsonWriter& value(std::int64_t number);
    JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
    JsonWriter& value(double number);
    JsonWriter& value(bool flag);
    JsonWriter& null();
    // Inserts already-serialised JSON as a value.
    JsonWriter& raw(std::string_view json);

    const std::string& str() const { return m_out; }

  private:
    void before_value();
    std::string m_out;
    std::vector<bool> m_first; // per open container: no element written yet
    bool m_after_key = false;
};

// JSON string escaping (quotes included).
std::string json_quote(std::string_view text);

} // namespace pjats
