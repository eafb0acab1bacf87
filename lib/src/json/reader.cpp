#include "json/reader.hpp"

#include <pjats/http/secrets.hpp>

#include <rapidjson/error/en.h>

#include <cstring>

namespace pjats::json {

namespace {

constexpr unsigned k_parse_flags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag
    | rapidjson::kParseFullPrecisionFlag; // numbers exactly as written (salaries)

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// RapidJSON 1.1's full-precision path runs into undefined behaviour (clz(0) in
// DiyFp::Normalize) on a zero written with a large exponent ("0e-30", "-0.0e52"), which
// the fuzzer found. Such a number is zero whatever its exponent: its exponent is blanked
// with spaces (same length, so error offsets stay right). Strings are left as they are.
// Returns "" when nothing needed blanking.
std::string blank_zero_exponents(std::string_view text) {
    std::string out;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i; // the escaped character, whatever it is
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
            continue;
        }
        if (c != '-' && !is_digit(c)) {
            continue;
        }
        std::size_t j = c == '-' ? i + 1 : i;
        bool nonzero = false;
        while (j < text.size() && (is_digit(text[j]) || text[j] == '.')) {
            nonzero = nonzero || (text[j] >= '1' && text[j] <= '9');
            ++j;
        }
        if (j < text.size() && (text[j] == 'e' || text[j] == 'E')) {
            const std::size_t exponent = j++;
            if (j < text.size() && (text[j] == '+' || text[j] == '-')) {
                ++j;
            }
            while (j < text.size() && is_digit(text[j])) {
                ++j;
            }
            if (!nonzero) {
                if (out.empty()) {
                    out.assign(text.data(), text.size());
                }
                out.replace(exponent, j - exponent, j - exponent, ' ');
            }
        }
        i = j - 1;
    }
    return out;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// "ORIGIN: invalid JSON at offset N (line L, column C): REASON"; lines and columns count
// from 1, columns in characters (UTF-8 code points), as an editor shows them.
Error invalid_json(const std::string& origin,
                   std::string_view text,
                   std::size_t offset,
                   const std::string& reason) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return make_error(ErrorKind::validation,
                      origin + ": invalid JSON at offset " + std::to_string(offset) + " (line "
                          + std::to_string(line) + ", column " + std::to_string(column)
                          + "): " + reason);
}

// Finds the first raw NUL byte or the first bracket nesting deeper than k_max_depth,
// skipping string contents. Returns an error for either; the real parse reports the rest.
Status prescan(std::string_view text, const std::string& origin) {
    std::size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\0') {
            return invalid_json(origin, text, i, "NUL byte in input");
        }
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > k_max_depth) {
                return invalid_json(
                    origin, text, i, "nesting deeper than " + std::to_string(k_max_depth) + " levels");
            }
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        }
    }
    return {};
}

void wrong_type(const rapidjson::Value& value,
                const std::string& path,
                const char* expected,
                Problems& problems) {
    problems.add(path, std::string("expected ") + expected + ", got " + type_name(value));
}

} // namespace

const char* type_name(const rapidjson::Value& value) {
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

std::string member_path(std::string_view parent, std::string_view key) {
    std::string path(parent);
    if (!path.empty()) {
        path += '.';
    }
    path += key;
    return path;
}

std::string index_path(std::string_view parent, std::size_t index) {
    std::string path(parent);
    path += '[';
    path += std::to_string(index);
    path += ']';
    return path;
}

Problems::Problems(std::string origin)
    : m_origin(std::move(origin)) {}

void Problems::add(const std::string& path, const std::string& problem) {
    m_items.push_back(Item{path, problem});
}

Error Problems::to_error() const {
    if (m_items.empty()) {
        return make_error(ErrorKind::validation, m_origin + ": invalid record");
    }
    const Item& first = m_items.front();
    Error error = make_error(
        ErrorKind::validation, m_origin + ": " + first.path + ": " + first.problem, first.path);
    if (m_items.size() > 1) {
        for (const Item& item : m_items) {
            if (!error.detail.empty()) {
                error.detail += '\n';
            }
            error.detail += m_origin + ": " + item.path + ": " + item.problem;
        }
    }
    http::scrub_error(error); // a problem may quote a value a server sent back
    return error;
}

Status parse_document(rapidjson::Document& doc,
                      std::string_view text,
                      const std::string& origin,
                      std::size_t max_bytes) {
    if (text.size() > max_bytes) {
        return make_error(ErrorKind::validation,
                          origin + ": record is " + std::to_string(text.size())
                              + " bytes, larger than the limit of " + std::to_string(max_bytes)
                              + " bytes");
    }
    PJATS_TRY(prescan(text, origin));
    const std::string blanked = blank_zero_exponents(text);
    const std::string_view parsed = blanked.empty() ? text : std::string_view(blanked);
    doc.Parse<k_parse_flags>(parsed.data(), parsed.size());
    if (doc.HasParseError()) {
        return invalid_json(
            origin, text, doc.GetErrorOffset(), GetParseError_En(doc.GetParseError()));
    }
    return {};
}

const rapidjson::Value* find_member(const rapidjson::Value& object, std::string_view key) {
    if (!object.IsObject()) {
        return nullptr;
    }
    const auto it =
        object.FindMember(rapidjson::Value(rapidjson::StringRef(key.data(), key.size())));
    if (it == object.MemberEnd() || it->value.IsNull()) {
        return nullptr;
    }
    return &it->value;
}

std::string trim(std::string_view text) {
    std::size_t begin = 0;
    std::size_t end = text.size();
    while (begin < end && is_space(text[begin])) {
        ++begin;
    }
    while (end > begin && is_space(text[end - 1])) {
        --end;
    }
    return std::string(text.substr(begin, end - begin));
}

std::string
string_value(const rapidjson::Value& value, const std::string& path, Problems& problems) {
    if (value.IsNull()) {
        return {};
    }
    if (!value.IsString()) {
        wrong_type(value, path, "a string", problems);
        return {};
    }
    const std::string_view text(value.GetString(), value.GetStringLength());
    if (text.find('\0') != std::string_view::npos) {
        problems.add(path, "contains a NUL character");
        return {};
    }
    return trim(text);
}

std::string read_string(const rapidjson::Value& object,
                        std::string_view key,
                        const std::string& path,
                        Problems& problems) {
    const rapidjson::Value* value = find_member(object, key);
    if (value == nullptr) {
        return {};
    }
    return string_value(*value, member_path(path, key), problems);
}

const rapidjson::Value* read_object(const rapidjson::Value& object,
                                    std::string_view key,
                                    const std::string& path,
                                    Problems& problems) {
    const rapidjson::Value* value = find_member(object, key);
    if (value == nullptr) {
        return nullptr;
    }
    if (!value->IsObject()) {
        wrong_type(*value, member_path(path, key), "an object", problems);
        return nullptr;
    }
    return value;
}

const rapidjson::Value* read_array(const rapidjson::Value& object,
                                   std::string_view key,
                                   const std::string& path,
                                   Problems& problems) {
    const rapidjson::Value* value = find_member(object, key);
    if (value == nullptr) {
        return nullptr;
    }
    if (!value->IsArray()) {
        wrong_type(*value, member_path(path, key), "an array", problems);
        return nullptr;
    }
    return value;
}

std::optional<double> read_number(const rapidjson::Value& object,
                                  std::string_view key,
                                  const std::string& path,
                                  Problems& problems) {
    const rapidjson::Value* value = find_member(object, key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->IsNumber()) {
        wrong_type(*value, member_path(path, key), "a number", problems);
        return std::nullopt;
    }
    return value->GetDouble();
}

std::vector<std::string> read_string_array(const rapidjson::Value& object,
                                           std::string_view key,
                                           const std::string& path,
                                           Problems& problems) {
    std::vector<std::string> out;
    const rapidjson::Value* array = read_array(object, key, path, problems);
    if (array == nullptr) {
        return out;
    }
    const std::string array_path = member_path(path, key);
    for (rapidjson::SizeType i = 0; i < array->Size(); ++i) {
        std::string text = string_value((*array)[i], index_path(array_path, i), problems);
        if (!text.empty()) {
            out.push_back(std::move(text));
        }
    }
    return out;
}

} // namespace pjats::json
