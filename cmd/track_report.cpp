// Rendering of `track` and `hires` (track_report.hpp).
#include "track_report.hpp"

#include "send_report.hpp"
#include "table.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/track/track.hpp>

#include <ostream>

namespace pjats::cli {

namespace {

std::string or_dash(const std::string& text) {
    return text.empty() ? "-" : text;
}

} // namespace

void print_tracked(Context& ctx, const ledger::Tracked& row, bool changed) {
    JsonWriter json;
    json.begin_object();
    json.key("candidate_id").value(row.key.candidate_id);
    json.key("target").value(row.key.target);
    json.key("destination").value(row.key.destination);
    json.key("remote_id").value(row.remote_id);
    json.key("state").value(row.state);
    json.key("stage").value(row.stage);
    json.key("job").value(row.job);
    json.key("link").value(row.link);
    json.key("state_since").value(track::format_time(row.state_since));
    if (row.state == "hired") {
        bool from_ats = false;
        json.key("hire_date").value(track::format_time(track::hire_date(row, &from_ats)));
        json.key("hire_date_source").value(from_ats ? "ats" : "first_seen");
    }
    json.key("changed").value(changed);
    json.end_object();
    ctx.out << json.str() << '\n';
}

void print_tracked_table(Context& ctx, const std::vector<const ledger::Tracked*>& rows) {
    Table table({{"CANDIDATE", false, 0},
                 {"TARGET", false, 0},
                 {"STATE", false, 0},
                 {"STAGE", true, 0},
                 {"JOB", true, 2},
                 {"SINCE", false, 3},
                 {"LINK", false, 4}});
    for (const ledger::Tracked* row : rows) {
        table.add({row->key.candidate_id, row->key.target, row->state, or_dash(row->stage),
                   or_dash(row->job), track::format_time(row->state_since), or_dash(row->link)});
    }
    print_fitted(ctx, table);
}

void print_track_failure(Context& ctx, const ledger::Key& key, const Error& error) {
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_object();
        json.key("candidate_id").value(key.candidate_id);
        json.key("target").value(key.target);
        json.key("destination").value(key.destination);
        json.key("error");
        write_error_json(json, error);
        json.end_object();
        ctx.out << json.str() << '\n';
        return;
    }
    ctx.err << "pj-ats: " << key.candidate_id << " (" << key.target
            << "): no answer: " << error.message << '\n';
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        return text;
    }
    std::string out = "\"";
    for (const char c : text) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

void print_hires_header(Context& ctx) {
    ctx.out << "candidate_id,target,name,job,hire_date,hire_date_source,link\r\n";
}

void print_hire(Context& ctx, const ledger::Tracked& row, const std::string& name, bool json) {
    bool from_ats = false;
    const std::string date = track::format_time(track::hire_date(row, &from_ats));
    const char* source = from_ats ? "ats" : "first_seen";
    if (json) {
        JsonWriter w;
        w.begin_object();
        w.key("candidate_id").value(row.key.candidate_id);
        w.key("target").value(row.key.target);
        w.key("name").value(name);
        w.key("job").value(row.job);
        w.key("hire_date").value(date);
        w.key("hire_date_source").value(source);
        w.key("link").value(row.link);
        w.end_object();
        ctx.out << w.str() << '\n';
        return;
    }
    ctx.out << csv_field(row.key.candidate_id) << ',' << csv_field(row.key.target) << ','
            << csv_field(name) << ',' << csv_field(row.job) << ',' << date << ',' << source
            << ',' << csv_field(row.link) << "\r\n";
}

void print_hires_table(Context& ctx,
                       const std::vector<std::pair<const ledger::Tracked*, std::string>>& hires) {
    Table table({{"CANDIDATE", false, 0},
                 {"TARGET", false, 0},
                 {"NAME", true, 0},
                 {"JOB", true, 2},
                 {"HIRE DATE", false, 0},
                 {"SOURCE", false, 3},
                 {"LINK", false, 4}});
    for (const auto& [row, name] : hires) {
        bool from_ats = false;
        const std::string date = track::format_time(track::hire_date(*row, &from_ats));
        table.add({row->key.candidate_id, row->key.target, or_dash(name), or_dash(row->job), date,
                   from_ats ? "ats" : "first_seen", or_dash(row->link)});
    }
    print_fitted(ctx, table);
}

} // namespace pjats::cli
