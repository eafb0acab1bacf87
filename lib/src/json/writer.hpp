#pragma once

// A thin wrapper over rapidjson::Writer for building request bodies: string_views in,
// optional members that vanish when empty, and the finished text out.

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pjats::json {

class Writer {
  public:
    Writer()
        : m_writer(m_buffer) {}

    void begin_object() {
        m_writer.StartObject();
    }

    void end_object() {
        m_writer.EndObject();
    }

    void begin_array() {
        m_writer.StartArray();
    }

    void end_array() {
        m_writer.EndArray();
    }

    void key(std::string_view name) {
        m_writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    }

    void string(std::string_view text) {
        m_writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    }

    void integer(std::int64_t number) {
        m_writer.Int64(number);
    }

    void boolean(bool flag) {
        m_writer.Bool(flag);
    }

    // "name": "text", unless `text` is empty.
    void optional_string(std::string_view name, std::string_view text) {
        if (!text.empty()) {
            key(name);
            string(text);
        }
    }

    // "name": ["a", "b"], unless `items` is empty.
    void optional_string_array(std::string_view name, const std::vector<std::string>& items) {
        if (items.empty()) {
            return;
        }
        key(name);
        begin_array();
        for (const std::string& item : items) {
            string(item);
        }
        end_array();
    }

    // The document written so far.
    std::string str() const {
        return std::string(m_buffer.GetString(), m_buffer.GetSize());
    }

  private:
    rapidjson::StringBuffer m_buffer;
    rapidjson::Writer<rapidjson::StringBuffer> m_writer;
};

} // namespace pjats::json
