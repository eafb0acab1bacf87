// JSON Lines export and import of a whole ledger (transfer.hpp).

#include <pjats/ledger/transfer.hpp>

#include "json/reader.hpp"

#include <pjats/core/json_writer.hpp>

#include <rapidjson/document.h>

#include <algorithm>
#include <istream>
#include <optional>
#include <ostream>

namespace pjats::ledger {

namespace {

// 2 added steps, tracking and the ledger's lineage on import into an empty ledger; a
// format 1 file (sends, cursors, meta) still imports.
constexpr int k_format = 2;

// Never exported nor imported: the lineage travels in the header, and "serial" counts the
// writes of one ledger (docs/ledger.md, "Stale ledgers").
bool ledger_own_meta(const std::string& name) {
    return name == "lineage" || name == "serial";
}
constexpr std::size_t k_max_line = 1U << 20U;

void write_entry(JsonWriter& json, const Entry& e) {
    json.begin_object()
        .key("kind").value("send")
        .key("account").value(e.key.account)
        .key("candidate_id").value(e.key.candidate_id)
        .key("target").value(e.key.target)
        .key("destination").value(e.key.destination)
        .key("state").value(to_string(e.state))
        .key("remote_id").value(e.remote_id)
        .key("lookup_hint").value(e.lookup_hint)
        .key("last_error").value(e.last_error)
        .key("temporary").value(e.temporary)
        .key("attempts").value(e.attempts)
        .key("updated_at").value(e.updated_at)
        .key("holder").value(e.holder)
        .key("version").value(e.version)
        .key("attempt_at_ms").value(e.attempt_at_ms)
        .key("previous_remote_ids").value(e.previous_remote_ids)
        .key("credited_to").value(e.credited_to)
        .end_object();
}

void write_step(JsonWriter& json, const KeyedStep& s) {
    json.begin_object()
        .key("kind").value("step")
        .key("account").value(s.key.account)
        .key("candidate_id").value(s.key.candidate_id)
        .key("target").value(s.key.target)
        .key("destination").value(s.key.destination)
        .key("step").value(s.step.name)
        .key("state").value(to_string(s.step.state))
        .key("remote_id").value(s.step.remote_id)
        .key("holder").value(s.step.holder)
        .key("version").value(s.step.version)
        .key("attempt_at_ms").value(s.step.attempt_at_ms)
        .key("last_error").value(s.step.last_error)
        .end_object();
}

void write_tracked(JsonWriter& json, const Tracked& t) {
    json.begin_object()
        .key("kind").value("tracking")
        .key("account").value(t.key.account)
        .key("candidate_id").value(t.key.candidate_id)
        .key("target").value(t.key.target)
        .key("destination").value(t.key.destination)
        .key("remote_id").value(t.remote_id)
        .key("state").value(t.state)
        .key("stage").value(t.stage)
        .key("job").value(t.job)
        .key("link").value(t.link)
        .key("state_since").value(t.state_since)
        .key("hired_seen_at").value(t.hired_seen_at)
        .key("hired_at").value(t.hired_at)
        .key("checked_at").value(t.checked_at)
        .end_object();
}

void write_pair(std::ostream& out, const char* kind, const char* first, const char* second,
                const std::pair<std::string, std::string>& pair) {
    JsonWriter json;
    json.begin_object().key("kind").value(kind).key(first).value(pair.first).key(second).value(
        pair.second);
    json.end_object();
    out << json.str() << '\n';
}

// One line's fields, read verbatim (no trimming: ids are stored as they are).
class Line {
  public:
    Line(const rapidjson::Value& object, std::string where)
        : m_object(object),
          m_where(std::move(where)) {}

    std::string text(const char* key) {
        const auto it = m_object.FindMember(key);
        if (it == m_object.MemberEnd() || it->value.IsNull()) {
            return {};
        }
        if (!it->value.IsString()) {
            fail(key, "a string");
            return {};
        }
        return std::string(it->value.GetString(), it->value.GetStringLength());
    }

    std::int64_t integer(const char* key) {
        const auto it = m_object.FindMember(key);
        if (it == m_object.MemberEnd() || it->value.IsNull()) {
            return 0;
        }
        if (!it->value.IsInt64()) {
            fail(key, "an integer");
            return 0;
        }
        return it->value.GetInt64();
    }

    bool flag(const char* key) {
        const auto it = m_object.FindMember(key);
        if (it == m_object.MemberEnd() || it->value.IsNull()) {
            return false;
        }
        if (!it->value.IsBool()) {
            fail(key, "true or false");
            return false;
        }
        return it->value.GetBool();
    }

    void fail(const std::string& key, const std::string& expected) {
        if (!m_error) {
            m_error = make_error(ErrorKind::validation, m_where + ": " + key + " must be " + expected);
        }
    }

    std::optional<Error>& error() { return m_error; }

  private:
    const rapidjson::Value& m_object;
    std::string m_where;
    std::optional<Error> m_error;
};

Result<Entry> read_entry(Line& line) {
    Entry e;
    e.key.account = line.text("account");
    e.key.candidate_id = line.text("candidate_id");
    e.key.target = line.text("target");
    e.key.destination = line.text("destination");
    const std::string state = line.text("state");
    e.remote_id = line.text("remote_id");
    e.lookup_hint = line.text("lookup_hint");
    e.last_error = line.text("last_error");
    e.temporary = line.flag("temporary");
    e.attempts = static_cast<int>(line.integer("attempts"));
    e.updated_at = line.integer("updated_at");
    e.holder = line.text("holder");
    e.version = line.integer("version");
    e.attempt_at_ms = line.integer("attempt_at_ms");
    e.previous_remote_ids = line.text("previous_remote_ids");
    e.credited_to = line.text("credited_to");
    if (const auto parsed = state_from_text(state)) {
        e.state = *parsed;
    } else {
        line.fail("state", "pending, sent, failed or review");
    }
    if (e.key.candidate_id.empty() || e.key.target.empty()) {
        line.fail("candidate_id and target", "set");
    }
    if (e.version < 1) {
        e.version = 1;
    }
    if (line.error()) {
        return *line.error();
    }
    return e;
}

Key read_key(Line& line) {
    Key key;
    key.account = line.text("account");
    key.candidate_id = line.text("candidate_id");
    key.target = line.text("target");
    key.destination = line.text("destination");
    if (key.candidate_id.empty() || key.target.empty()) {
        line.fail("candidate_id and target", "set");
    }
    return key;
}

Result<KeyedStep> read_step(Line& line) {
    KeyedStep s;
    s.key = read_key(line);
    s.step.name = line.text("step");
    const std::string state = line.text("state");
    s.step.remote_id = line.text("remote_id");
    s.step.holder = line.text("holder");
    s.step.version = line.integer("version");
    s.step.attempt_at_ms = line.integer("attempt_at_ms");
    s.step.last_error = line.text("last_error");
    if (state == "todo") {
        s.step.state = StepState::todo;
    } else if (state == "pending") {
        s.step.state = StepState::pending;
    } else if (state == "done") {
        s.step.state = StepState::done;
    } else if (state == "failed") {
        s.step.state = StepState::failed;
    } else {
        line.fail("state", "todo, pending, done or failed");
    }
    if (s.step.name.empty()) {
        line.fail("step", "set");
    }
    if (line.error()) {
        return *line.error();
    }
    return s;
}

Result<Tracked> read_tracked(Line& line) {
    Tracked t;
    t.key = read_key(line);
    t.remote_id = line.text("remote_id");
    t.state = line.text("state");
    t.stage = line.text("stage");
    t.job = line.text("job");
    t.link = line.text("link");
    t.state_since = line.integer("state_since");
    t.hired_seen_at = line.integer("hired_seen_at");
    t.hired_at = line.integer("hired_at");
    t.checked_at = line.integer("checked_at");
    if (line.error()) {
        return *line.error();
    }
    return t;
}

bool same_key(const Key& a, const Key& b) {
    return a.account == b.account && a.candidate_id == b.candidate_id && a.target == b.target
           && a.destination == b.destination;
}

// Whether `ledger` holds no history yet (no sends, steps, tracking or cursors).
Result<bool> is_empty(Ledger& ledger) {
    auto rows = ledger.list(std::nullopt);
    if (!rows) {
        return std::move(rows).error();
    }
    auto steps = ledger.all_steps();
    if (!steps) {
        return std::move(steps).error();
    }
    auto tracked = ledger.tracked();
    if (!tracked) {
        return std::move(tracked).error();
    }
    auto cursors = ledger.all_cursors();
    if (!cursors) {
        return std::move(cursors).error();
    }
    return rows->empty() && steps->empty() && tracked->empty() && cursors->empty();
}

// Sets `name` to `value` through `get`/`set` unless it has a value already: true if set.
template <typename Get, typename Set>
Result<bool> add_if_absent(Get get, Set set) {
    auto current = get();
    if (!current) {
        return std::move(current).error();
    }
    if (!current->empty()) {
        return false;
    }
    PJATS_TRY(set());
    return true;
}

} // namespace

Result<ExportCounts> export_jsonl(Ledger& ledger, std::ostream& out) {
    ExportCounts counts;
    auto lineage = ledger.lineage();
    if (!lineage) {
        return std::move(lineage).error();
    }
    auto entries = ledger.list(std::nullopt);
    if (!entries) {
        return std::move(entries).error();
    }
    auto cursors = ledger.all_cursors();
    if (!cursors) {
        return std::move(cursors).error();
    }
    auto meta = ledger.all_meta();
    if (!meta) {
        return std::move(meta).error();
    }
    auto steps = ledger.all_steps();
    if (!steps) {
        return std::move(steps).error();
    }
    auto tracked = ledger.tracked();
    if (!tracked) {
        return std::move(tracked).error();
    }
    JsonWriter header;
    header.begin_object().key("kind").value("pj-ats-ledger").key("format").value(k_format);
    header.key("lineage").value(*lineage).end_object();
    out << header.str() << '\n';
    for (const Entry& entry : *entries) {
        JsonWriter json;
        write_entry(json, entry);
        out << json.str() << '\n';
        ++counts.rows;
    }
    for (const KeyedStep& step : *steps) {
        JsonWriter json;
        write_step(json, step);
        out << json.str() << '\n';
        ++counts.steps;
    }
    for (const Tracked& t : *tracked) {
        JsonWriter json;
        write_tracked(json, t);
        out << json.str() << '\n';
        ++counts.tracking;
    }
    for (const auto& pair : *cursors) {
        write_pair(out, "cursor", "job_id", "cursor", pair);
        ++counts.cursors;
    }
    for (const auto& pair : *meta) {
        if (ledger_own_meta(pair.first)) {
            continue;
        }
        write_pair(out, "meta", "name", "value", pair);
        ++counts.meta;
    }
    out.flush();
    if (!out) {
        return make_error(ErrorKind::failure, "cannot write the ledger export");
    }
    return counts;
}

Result<ImportReport> import_jsonl(Ledger& ledger, std::istream& in, const std::string& origin) {
    ImportReport report;
    std::string text;
    bool header_seen = false;
    std::optional<std::vector<Tracked>> tracked_before; // read on the first tracking line
    auto empty = is_empty(ledger);
    if (!empty) {
        return std::move(empty).error();
    }
    for (int number = 1; std::getline(in, text); ++number) {
        if (text.empty()) {
            continue;
        }
        const std::string where = origin + ":" + std::to_string(number);
        rapidjson::Document doc;
        PJATS_TRY(json::parse_document(doc, text, where, k_max_line));
        if (!doc.IsObject()) {
            return make_error(ErrorKind::validation, where + ": expected a JSON object");
        }
        Line line(doc, where);
        const std::string kind = line.text("kind");
        if (!header_seen) {
            const std::int64_t format = line.integer("format");
            if (kind != "pj-ats-ledger" || format < 1 || format > k_format) {
                return make_error(ErrorKind::validation,
                                  where + ": not a pj-ats ledger export (format 1 to "
                                      + std::to_string(k_format) + ")");
            }
            header_seen = true;
            const std::string lineage = line.text("lineage");
            if (*empty && !lineage.empty()) {
                // The history moves: an empty ledger continues the exported one.
                auto own = ledger.lineage();
                if (!own) {
                    return std::move(own).error();
                }
                if (*own != lineage) {
                    PJATS_TRY(ledger.set_meta("lineage", lineage));
                    report.lineage_adopted = lineage;
                }
            }
            continue;
        }
        if (kind == "send") {
            auto entry = read_entry(line);
            if (!entry) {
                return std::move(entry).error();
            }
            auto added = ledger.insert_entry(*entry);
            if (!added) {
                return std::move(added).error();
            }
            if (*added) {
                ++report.rows_added;
                report.pending_added += entry->state == State::pending ? 1 : 0;
            } else {
                report.rows_kept.push_back(entry->key);
            }
        } else if (kind == "step") {
            auto step = read_step(line);
            if (!step) {
                return std::move(step).error();
            }
            auto added = ledger.insert_step(*step);
            if (!added) {
                return std::move(added).error();
            }
            ++(*added ? report.steps_added : report.steps_kept);
        } else if (kind == "tracking") {
            auto seen = read_tracked(line);
            if (!seen) {
                return std::move(seen).error();
            }
            if (!tracked_before) {
                auto before = ledger.tracked();
                if (!before) {
                    return std::move(before).error();
                }
                tracked_before = std::move(*before);
            }
            const bool known = std::any_of(
                tracked_before->begin(), tracked_before->end(),
                [&](const Tracked& t) { return same_key(t.key, seen->key); });
            if (known) {
                ++report.tracking_kept;
            } else {
                PJATS_TRY(ledger.put_tracked(*seen));
                ++report.tracking_added;
            }
        } else if (kind == "cursor") {
            const std::string job = line.text("job_id");
            const std::string cursor = line.text("cursor");
            auto added = add_if_absent([&] { return ledger.cursor(job); },
                                       [&] { return ledger.set_cursor(job, cursor); });
            if (!added) {
                return std::move(added).error();
            }
            ++(*added ? report.cursors_added : report.cursors_kept);
        } else if (kind == "meta") {
            const std::string name = line.text("name");
            const std::string value = line.text("value");
            if (ledger_own_meta(name)) {
                continue; // the target is its own ledger
            }
            auto added = add_if_absent([&] { return ledger.meta(name); },
                                       [&] { return ledger.set_meta(name, value); });
            if (!added) {
                return std::move(added).error();
            }
            ++(*added ? report.meta_added : report.meta_kept);
        } else {
            return make_error(ErrorKind::validation, where + ": unknown kind '" + kind + "'");
        }
        if (line.error()) {
            return *line.error();
        }
    }
    if (!header_seen) {
        return make_error(ErrorKind::validation, origin + ": empty, not a pj-ats ledger export");
    }
    return report;
}

} // namespace pjats::ledger
