#pragma once

// Helpers shared by the record, source and mapping tests: fixture paths, file reading,
// a throwaway directory, and parsing produced JSON back for field-by-field checks.

#include <pjats/model/candidate.hpp>
#include <pjats/model/record.hpp>

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace pjats::model_test {

inline std::string records_dir() {
    return std::string(PJATS_FIXTURES_DIR) + "/records";
}

// The JSON Resume project's own sample résumés (tests/fixtures/jsonresume, MIT).
inline std::string reference_examples_dir() {
    return std::string(PJATS_FIXTURES_DIR) + "/jsonresume/examples";
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot open test file " + path);
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) {
        throw std::runtime_error("cannot write test file " + path.string());
    }
}

// Parses fixture `name` under tests/fixtures/records; fails the test on error.
inline model::Candidate load_record(const std::string& name) {
    const std::string path = records_dir() + "/" + name;
    auto parsed = model::parse_record(read_text(path), name, records_dir());
    if (!parsed) {
        FAIL("fixture " << name << " did not parse: " << parsed.error().message);
    }
    return std::move(parsed).value();
}

// A fresh directory under /tmp, removed with its content on destruction.
class ScratchDir {
  public:
    ScratchDir() {
        char name[] = "/tmp/pjats-model-test-XXXXXX";
        if (::mkdtemp(name) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = name;
    }

    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }

    const std::filesystem::path& path() const {
        return m_path;
    }

  private:
    std::filesystem::path m_path;
};

// Parses `text` as JSON; fails the test when it is not valid JSON.
inline rapidjson::Document parse_json(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse(text.c_str(), text.size());
    REQUIRE_FALSE(doc.HasParseError());
    return doc;
}

// The string member `key` of `object`, failing the test when absent or not a string.
inline std::string string_member(const rapidjson::Value& object, const char* key) {
    REQUIRE(object.IsObject());
    REQUIRE_MESSAGE(object.HasMember(key), "missing member " << key);
    REQUIRE_MESSAGE(object[key].IsString(), "member " << key << " is not a string");
    return object[key].GetString();
}

} // namespace pjats::model_test
