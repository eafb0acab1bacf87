// A sync run's counts as the JSON kept in ledger meta "last_sync_counts", and back.

#include "json/reader.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/sync/sync.hpp>

namespace pjats::sync {

namespace {

constexpr std::size_t k_max_counts_bytes = 4096;
constexpr std::size_t k_max_name_length = 40;

bool plain_name(const std::string& name) {
    if (name.empty() || name.size() > k_max_name_length) {
        return false;
    }
    for (char c : name) {
        const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                          || (c >= '0' && c <= '9') || c == '_';
        if (!word) {
            return false;
        }
    }
    return true;
}

} // namespace

std::string counts_json(const Counts& counts) {
    JsonWriter json;
    json.begin_object();
    json.key("jobs").value(counts.jobs);
    json.key("applications").value(counts.applications);
    json.key("sent").value(counts.sent);
    json.key("skipped").value(counts.skipped);
    json.key("in_flight").value(counts.in_flight);
    json.key("failed").value(counts.failed);
    json.key("temporary").value(counts.temporary);
    json.key("review").value(counts.review);
    json.key("source_errors").value(counts.source_errors);
    json.key("planned").value(counts.planned);
    json.end_object();
    return json.str();
}

std::optional<NamedCounts> parse_counts_json(const std::string& text) {
    rapidjson::Document doc;
    if (!json::parse_document(doc, text, "last_sync_counts", k_max_counts_bytes)
        || !doc.IsObject()) {
        return std::nullopt;
    }
    NamedCounts members;
    for (const auto& member : doc.GetObject()) {
        std::string name(member.name.GetString(), member.name.GetStringLength());
        if (!plain_name(name) || !member.value.IsInt64() || member.value.GetInt64() < 0) {
            return std::nullopt;
        }
        members.emplace_back(std::move(name), member.value.GetInt64());
    }
    return members;
}

} // namespace pjats::sync
