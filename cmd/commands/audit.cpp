// `pj-ats audit [--to lever|greenhouse] [--json]`: proves against the ATS, read-only, that
// nothing was sent twice and nothing the ledger calls sent is gone (pjats/audit/audit.hpp;
// docs/ledger.md, "Audit"). Exit 3 when anything is off.
#include "commands/commands.hpp"
#include "services.hpp"

#include <pjats/audit/audit.hpp>
#include <pjats/core/json_writer.hpp>

#include <ostream>

namespace pjats::cli {

namespace {

struct AuditOptions {
    std::string to;
};

// This account's rows of `target` (the organization the credentials reach).
std::vector<ledger::Entry> rows_of(const std::vector<ledger::Entry>& all, const std::string& target,
                                   const std::string& account) {
    std::vector<ledger::Entry> rows;
    for (const ledger::Entry& e : all) {
        if (e.key.target == target && (e.key.account.empty() || e.key.account == account)) {
            rows.push_back(e);
        }
    }
    return rows;
}

std::string describe(const audit::Finding& f) {
    const std::string who = f.candidate_id.empty() ? std::string() : "candidate " + f.candidate_id;
    const std::string where = f.destination.empty() ? std::string() : " (" + f.destination + ")";
    switch (f.kind) {
    case audit::Kind::unknown:
        return "opportunity " + f.remote_id + " is tagged Purpose Jobs but no ledger row names it";
    case audit::Kind::duplicate:
        return who + " has more opportunities than the ledger sent: " + f.remote_id;
    case audit::Kind::missing:
        return who + where + " is sent as " + f.remote_id + ", which the ATS no longer shows";
    case audit::Kind::review:
        return who + where + " waits for review (pj-ats ledger resolve)";
    }
    return who;
}

int run_audit(const AuditOptions& opts, Context& ctx) {
    if (!opts.to.empty() && opts.to != "lever" && opts.to != "greenhouse") {
        return ctx.fail(make_error(ErrorKind::usage, "--to must be greenhouse or lever"));
    }
    auto profile = ctx.active_profile();
    PJATS_TRY_EXIT(ctx, profile);
    std::vector<std::string> targets;
    for (const char* name : {"greenhouse", "lever"}) {
        const bool configured = std::string(name) == "lever" ? profile->lever.has_value()
                                                              : profile->greenhouse.has_value();
        if (opts.to == name || (opts.to.empty() && configured)) {
            targets.emplace_back(name);
        }
    }
    if (targets.empty()) {
        return ctx.fail(make_error(ErrorKind::config, "neither Greenhouse nor Lever is configured"));
    }
    auto found = ctx.ledger_exists();
    PJATS_TRY_EXIT(ctx, found);
    std::vector<ledger::Entry> all;
    if (*found) {
        auto ledger = ctx.open_ledger();
        PJATS_TRY_EXIT(ctx, ledger);
        auto listed = (*ledger)->list(std::nullopt);
        PJATS_TRY_EXIT(ctx, listed);
        all = std::move(*listed);
    }
    std::vector<audit::Report> reports;
    for (const std::string& to : targets) {
        auto handle = make_target(ctx, *profile, to, /*offline=*/!*found);
        PJATS_TRY_EXIT(ctx, handle);
        const std::vector<ledger::Entry> rows = rows_of(all, to, (*handle)->target().account());
        Result<audit::Report> report = make_error(ErrorKind::failure, "no audit");
        if (to == "lever") {
            auto session = open_lever(ctx, *profile);
            PJATS_TRY_EXIT(ctx, session);
            report = audit::audit_lever(*(*session)->client, rows);
        } else {
            auto access = greenhouse_access(ctx, *profile);
            PJATS_TRY_EXIT(ctx, access);
            greenhouse::Client client(ctx.transports(*profile).target("greenhouse"),
                                      access->base_url, access->key.value, access->email);
            report = audit::audit_greenhouse(client, rows);
        }
        PJATS_TRY_EXIT(ctx, report);
        reports.push_back(std::move(*report));
    }
    bool off = false;
    for (const audit::Report& r : reports) {
        off = off || !r.findings.empty();
        if (ctx.global.json) {
            JsonWriter json;
            json.begin_object().key("target").value(r.target).key("rows").value(r.rows);
            json.key("records").value(r.records).key("findings").begin_array();
            for (const audit::Finding& f : r.findings) {
                json.begin_object().key("kind").value(audit::to_string(f.kind));
                json.key("candidate_id").value(f.candidate_id);
                json.key("destination").value(f.destination);
                json.key("remote_id").value(f.remote_id).end_object();
            }
            json.end_array().end_object();
            ctx.out << json.str() << '\n';
            continue;
        }
        ctx.out << r.target << ": " << r.rows << " ledger rows, " << r.records
                << " records in the ATS checked, "
                << (r.findings.empty() ? std::string("nothing off")
                                       : std::to_string(r.findings.size()) + " off")
                << '\n';
        for (const audit::Finding& f : r.findings) {
            ctx.out << "  " << audit::to_string(f.kind) << ": " << describe(f) << '\n';
        }
    }
    return off ? to_int(ExitCode::partial) : 0;
}

} // namespace

void add_audit(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<AuditOptions>();
    CLI::App* sub = app.add_subcommand(
        "audit", "Check the ATS against the ledger, read-only: records sent twice or unknown "
                 "to the ledger, sent ones gone, rows for review (exit 3 when any)");
    sub->add_option("--to", opts->to, "Only this target: greenhouse or lever");
    sub->callback([opts, &ctx] { ctx.exit_code = run_audit(*opts, ctx); });
}

} // namespace pjats::cli
