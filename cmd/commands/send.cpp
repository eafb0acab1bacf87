// `pj-ats send ID... --to greenhouse|lever`: sends candidates, idempotently via the ledger.
#include "commands/commands.hpp"
#include "send_report.hpp"
#include "services.hpp"

#include <pjats/model/record.hpp>
#include <pjats/send/sender.hpp>
#include <pjats/source/source.hpp>

#include <fstream>
#include <iostream>
#include <limits>

namespace pjats::cli {

namespace {

struct SendOptions {
    std::vector<std::string> ids;
    std::string to;
    std::string job;
    std::string posting;
    std::string ids_from;
    std::string file;
    bool dry_run = false;
    bool force = false;
};

Result<send::Placement> placement_for(const SendOptions& opts) {
    send::Placement placement;
    if (!opts.job.empty()) {
        if (opts.to != "greenhouse") {
            return make_error(ErrorKind::usage, "--job is for --to greenhouse; use --posting for Lever");
        }
        try {
            std::size_t used = 0;
            const long long job = std::stoll(opts.job, &used);
            if (used != opts.job.size() || job <= 0) {
                throw std::invalid_argument("job");
            }
            placement.greenhouse_job = job;
        } catch (const std::exception&) {
            return make_error(ErrorKind::usage, "--job must be a Greenhouse job id (a positive integer)");
        }
    }
    if (!opts.posting.empty()) {
        if (opts.to != "lever") {
            return make_error(ErrorKind::usage, "--posting is for --to lever; use --job for Greenhouse");
        }
        placement.lever_posting = opts.posting;
    }
    return placement;
}

// Calls `each(id)` for every id from the arguments and then from --ids-from (streamed).
template <typename F>
Status for_each_id(const SendOptions& opts, F&& each) {
    for (const auto& id : opts.ids) {
        each(id);
    }
    if (opts.ids_from.empty()) {
        return {};
    }
    std::ifstream file;
    std::istream* in = &std::cin;
    if (opts.ids_from != "-") {
        file.open(opts.ids_from);
        if (!file) {
            return make_error(ErrorKind::usage, "cannot read --ids-from file " + opts.ids_from);
        }
        in = &file;
    }
    std::string line;
    while (std::getline(*in, line)) {
        const auto start = line.find_first_not_of(" \t\r");
        if (start == std::string::npos || line[start] == '#') {
            continue;
        }
        const auto end = line.find_last_not_of(" \t\r");
        each(line.substr(start, end - start + 1));
    }
    return {};
}

int run_send(const SendOptions& opts, Context& ctx) {
    if (opts.to != "greenhouse" && opts.to != "lever") {
        return ctx.fail(make_error(ErrorKind::usage, "--to must be greenhouse or lever"));
    }
    if (opts.file.empty() && opts.ids.empty() && opts.ids_from.empty()) {
        return ctx.fail(make_error(ErrorKind::usage,
                                   "give candidate ids, --ids-from FILE, or --file RECORD.json"));
    }
    if (!opts.file.empty() && (!opts.ids.empty() || !opts.ids_from.empty())) {
        return ctx.fail(make_error(ErrorKind::usage, "--file sends one record; do not add ids"));
    }
    auto placement = placement_for(opts);
    if (!placement) {
        return ctx.fail(placement.error());
    }
    auto profile = ctx.active_profile();
    if (!profile) {
        return ctx.fail(profile.error());
    }
    auto target = make_target(ctx, *profile, opts.to);
    if (!target) {
        return ctx.fail(target.error());
    }
    std::unique_ptr<ledger::Ledger> ledger;
    if (!opts.dry_run) {
        auto opened = ctx.open_ledger();
        if (!opened) {
            return ctx.fail(opened.error());
        }
        ledger = std::move(*opened);
    }
    const send::SendFlags flags{opts.force, opts.dry_run};
    SendReporter reporter(ctx, opts.to);

    auto send_candidate = [&](const model::Candidate& candidate) {
        if (auto valid = model::validate_for_send(candidate); !valid) {
            reporter.add_failure(candidate.id, valid.error());
            return;
        }
        if (flags.dry_run) {
            auto request = (*target)->target().describe_request(candidate, *placement);
            if (!request) {
                reporter.add_failure(candidate.id, request.error());
            } else {
                send::ItemReport item;
                item.candidate_id = candidate.id;
                item.status = send::ItemStatus::dry_run;
                item.request = *request;
                reporter.add(item);
            }
            return;
        }
        reporter.add(send::send_one((*target)->target(), *ledger, candidate, *placement, flags));
    };

    if (!opts.file.empty()) {
        auto record = source::read_record_file(opts.file);
        if (!record) {
            reporter.add_failure("(" + opts.file + ")", record.error());
        } else {
            send_candidate(*record);
        }
        return reporter.finish();
    }
    auto source = open_source(*profile);
    if (!source) {
        return ctx.fail(source.error());
    }
    auto listed = for_each_id(opts, [&](const std::string& id) {
        auto candidate = (*source)->candidate(id);
        if (!candidate) {
            reporter.add_failure(id, candidate.error());
            return;
        }
        send_candidate(*candidate);
    });
    if (!listed) {
        return ctx.fail(listed.error());
    }
    return reporter.finish();
}

} // namespace

void add_send(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<SendOptions>();
    CLI::App* sub = app.add_subcommand("send", "Send candidates to Greenhouse or Lever");
    sub->add_option("ids", opts->ids, "Purpose Jobs candidate ids");
    sub->add_option("--to", opts->to, "Target system: greenhouse or lever")
        ->required()
        ->check(CLI::IsMember({"greenhouse", "lever"}));
    sub->add_option("--job", opts->job, "Greenhouse job id: add as a candidate on that job");
    sub->add_option("--posting", opts->posting, "Lever posting id to apply the opportunity to");
    sub->add_option("--ids-from", opts->ids_from, "Read candidate ids from FILE (one per line; - for stdin)");
    sub->add_option("--file", opts->file, "Send this JSON Resume record (- for stdin)");
    sub->add_flag("--dry-run", opts->dry_run, "Print the exact requests; send nothing");
    sub->add_flag("--force", opts->force, "Send even if the ledger says it was sent already");
    sub->callback([opts, &ctx] { ctx.exit_code = run_send(*opts, ctx); });
}

} // namespace pjats::cli
