#pragma once

// Private helpers for decoding untrusted JSON with RapidJSON: a guarded parse (size, NUL
// bytes, UTF-8, nesting depth, iterative parser) and typed member reads that check every
// type before reading and record problems with their JSON path instead of stopping.

#include <pjats/core/error.hpp>
#include <pjats/core/result.hpp>

#include <rapidjson/document.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pjats::json {

// Deepest nesting of arrays/objects accepted; real documents stay far below this.
inline constexpr std::size_t k_max_depth = 64;

// "null", "boolean", "number", "string", "array" or "object".
const char* type_name(const rapidjson::Value& value);

// "a" + "b" -> "a.b"; "" + "b" -> "b".
std::string member_path(std::string_view parent, std::string_view key);

// "a" + 3 -> "a[3]".
std::string index_path(std::string_view parent, std::size_t index);

// Collects decoding problems for one document, named by `origin` ("candidates/42.json").
class Problems {
  public:
    explicit Problems(std::string origin);

    // Records "`path`: `problem`".
    void add(const std::string& path, const std::string& problem);

    bool empty() const {
        return m_items.empty();
    }

    const std::string& origin() const {
        return m_origin;
    }

    // A `validation` Error: message "ORIGIN: PATH: problem" for the first problem, `field`
    // its path, and `detail` every problem (one per line) when there are several.
    Error to_error() const;

  private:
    struct Item {
        std::string path;
        std::string problem;
    };

    std::string m_origin;
    std::vector<Item> m_items;
};

// Parses `text` into `doc` with the iterative parser and UTF-8 validation, after rejecting
// input larger than `max_bytes`, raw NUL bytes and nesting deeper than k_max_depth. Errors
// have kind `validation` and read "ORIGIN: invalid JSON at offset N: reason".
Status parse_document(rapidjson::Document& doc,
                      std::string_view text,
                      const std::string& origin,
                      std::size_t max_bytes);

// Member `key` of `object`; nullptr when absent or null. `object` must be an object.
const rapidjson::Value* find_member(const rapidjson::Value& object, std::string_view key);

// Typed reads of member `key` of `object` (whose own path is `path`). Each returns an
// empty result when the member is absent or null, and records a problem (and returns
// empty) when it has the wrong type. Strings are trimmed; a string holding a NUL character
// is a problem.
std::string read_string(const rapidjson::Value& object,
                        std::string_view key,
                        const std::string& path,
                        Problems& problems);

const rapidjson::Value* read_object(const rapidjson::Value& object,
                                    std::string_view key,
                                    const std::string& path,
                                    Problems& problems);

const rapidjson::Value* read_array(const rapidjson::Value& object,
                                   std::string_view key,
                                   const std::string& path,
                                   Problems& problems);

std::optional<double> read_number(const rapidjson::Value& object,
                                  std::string_view key,
                                  const std::string& path,
                                  Problems& problems);

// An array of strings; empty strings (after trimming) are dropped.
std::vector<std::string> read_string_array(const rapidjson::Value& object,
                                           std::string_view key,
                                           const std::string& path,
                                           Problems& problems);

// Checks that `value` (at `path`) is a string and returns it trimmed, recording a problem
// otherwise. Null gives an empty string without a problem.
std::string
string_value(const rapidjson::Value& value, const std::string& path, Problems& problems);

// Removes leading and trailing ASCII whitespace.
std::string trim(std::string_view text);

} // namespace pjats::json
