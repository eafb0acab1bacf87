// `pj-ats ledger list [--state S] [--to T]`: the send ledger's rows, as a table or JSON
// Lines; `ledger resolve` (ledger_resolve.cpp) closes sends for review; `ledger export`
// and `import` are in ledger_transfer.cpp. Errors are stored
// redacted and are scrubbed again on output.
#include "commands/commands.hpp"
#include "table.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/http/secrets.hpp>
#include <pjats/ledger/review.hpp>

#include <algorithm>
#include <ctime>
#include <map>
#include <filesystem>
#include <ostream>

namespace pjats::cli {

namespace {

// Follow-up steps not done yet, by row (docs/ledger.md, "Steps").
using OpenSteps = std::map<std::string, std::vector<ledger::Step>>;

std::string row_id(const ledger::Key& k) {
    return k.account + '\n' + k.candidate_id + '\n' + k.target + '\n' + k.destination;
}

// "sent, note pending, file failed" for a row with steps left.
std::string state_text(const ledger::Entry& e, const OpenSteps& open) {
    std::string text = ledger::to_string(e.state);
    const auto found = open.find(row_id(e.key));
    for (const ledger::Step& step : found == open.end() ? std::vector<ledger::Step>{} : found->second) {
        text += ", " + step.name + " " + ledger::to_string(step.state);
    }
    return text;
}

struct ListOptions {
    std::string state;
    std::string to;
};

// "2026-11-23T17:49:00Z" for unix seconds.
std::string iso_time(std::int64_t seconds) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

void print_json_lines(const std::vector<ledger::Entry>& entries, const OpenSteps& open,
                      Context& ctx) {
    for (const ledger::Entry& e : entries) {
        JsonWriter json;
        json.begin_object().key("candidate_id").value(e.key.candidate_id);
        json.key("target").value(e.key.target).key("destination").value(e.key.destination);
        json.key("account").value(e.key.account).key("state").value(ledger::to_string(e.state));
        json.key("remote_id").value(e.remote_id).key("credited_to").value(e.credited_to);
        json.key("error").value(http::scrub_secrets(e.last_error));
        json.key("temporary").value(e.temporary).key("attempts").value(e.attempts);
        json.key("steps_left").begin_array();
        if (const auto found = open.find(row_id(e.key)); found != open.end()) {
            for (const ledger::Step& step : found->second) {
                json.begin_object().key("step").value(step.name);
                json.key("state").value(ledger::to_string(step.state));
                json.key("error").value(http::scrub_secrets(step.last_error)).end_object();
            }
        }
        json.end_array();
        json.key("updated_at").value(iso_time(e.updated_at)).end_object();
        ctx.out << json.str() << '\n';
    }
}

void print_table(const std::vector<ledger::Entry>& entries, const OpenSteps& open,
                 Context& ctx) {
    // Fitted to the terminal: ids whole; the error, state and user shortened; the least
    // needed columns left out first.
    Table table({{"CANDIDATE", false, 0},
                 {"TARGET", false, 0},
                 {"DESTINATION", false, 4},
                 {"STATE", true, 0},
                 {"REMOTE ID", false, 6},
                 {"CREDITED TO", true, 7},
                 {"UPDATED", false, 5},
                 {"ERROR", true, 3}});
    for (const ledger::Entry& e : entries) {
        table.add({e.key.candidate_id,
                   e.key.target,
                   e.key.destination.empty() ? "-" : e.key.destination,
                   state_text(e, open),
                   e.remote_id.empty() ? "-" : e.remote_id,
                   e.credited_to.empty() ? "-" : e.credited_to,
                   iso_time(e.updated_at),
                   http::scrub_secrets(e.last_error)});
    }
    print_fitted(ctx, table);
}

int run_list(const ListOptions& opts, Context& ctx) {
    std::optional<ledger::State> state;
    if (!opts.state.empty()) {
        state = ledger::state_from_text(opts.state);
    }
    auto config = ctx.load_config();
    if (!config) {
        return ctx.fail(config.error());
    }
    // A profile that never used a ledger has none: listing must not create one.
    const auto profile = config->profiles.find(ctx.profile_name(*config));
    const bool used = profile != config->profiles.end() && !profile->second.ledger_lineage.empty();
    std::vector<ledger::Entry> entries;
    OpenSteps open;
    auto exists = used ? Result<bool>(true) : ctx.ledger_exists();
    if (!exists) {
        return ctx.fail(exists.error());
    }
    if (*exists) {
        auto opened = ctx.open_ledger();
        if (!opened) {
            return ctx.fail(opened.error());
        }
        auto listed = ledger::list_entries(**opened, state, opts.to);
        if (!listed) {
            return ctx.fail(listed.error());
        }
        entries = std::move(*listed);
        auto steps = (**opened).open_steps();
        if (!steps) {
            return ctx.fail(steps.error());
        }
        for (ledger::KeyedStep& item : *steps) {
            open[row_id(item.key)].push_back(std::move(item.step));
        }
    }
    if (ctx.global.json) {
        print_json_lines(entries, open, ctx);
    } else if (entries.empty()) {
        ctx.note("No sends" + (opts.state.empty() ? std::string() : " in state " + opts.state)
                 + (opts.to.empty() ? std::string() : " to " + opts.to) + " in the ledger.");
    } else {
        print_table(entries, open, ctx);
    }
    return 0;
}

void add_ledger_list(CLI::App& group, Context& ctx) {
    auto opts = std::make_shared<ListOptions>();
    CLI::App* sub = group.add_subcommand("list", "List the sends the ledger records");
    sub->add_option("--state", opts->state, "Only sends in this state")
        ->check(CLI::IsMember({"sent", "failed", "review", "pending"}));
    sub->add_option("--to", opts->to, "Only sends to this target")
        ->check(CLI::IsMember({"greenhouse", "lever"}));
    sub->callback([opts, &ctx] { ctx.exit_code = run_list(*opts, ctx); });
}

} // namespace

void add_ledger(CLI::App& app, Context& ctx) {
    CLI::App* group = app.add_subcommand(
        "ledger", "Inspect, resolve, export and import the send ledger");
    group->require_subcommand(1);
    add_ledger_list(*group, ctx);
    add_ledger_resolve(*group, ctx);
    add_ledger_transfer(*group, ctx); // export, import (ledger_transfer.cpp)
}

} // namespace pjats::cli
