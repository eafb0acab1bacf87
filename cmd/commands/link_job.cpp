// `pj-ats link-job PJ_JOB_ID LEVER_POSTING_ID | --list | --remove PJ_JOB_ID`: links live
// in the profile; a new link is checked against Lever (the posting exists, is published)
// and the source (a job with no applications is a warning: a typo, or a brand-new job).
#include "commands/commands.hpp"
#include "services.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/lever/posting_check.hpp>
#include <pjats/source/source.hpp>

#include <iomanip>
#include <ostream>

namespace pjats::cli {

namespace {

struct LinkJobOptions {
    std::vector<std::string> args;
    bool list = false;
    std::string remove;
    bool no_verify = false;
};

int list_links(const profile::Profile& profile, Context& ctx) {
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_array();
        for (const auto& [job, posting] : profile.links) {
            json.begin_object()
                .key("job_id")
                .value(job)
                .key("posting_id")
                .value(posting)
                .end_object();
        }
        json.end_array();
        ctx.out << json.str() << '\n';
        return 0;
    }
    if (profile.links.empty()) {
        ctx.note("No linked jobs. Link one with `pj-ats link-job PJ_JOB_ID LEVER_POSTING_ID`.");
        return 0;
    }
    ctx.out << std::left << std::setw(24) << "PURPOSE JOBS JOB"
            << "LEVER POSTING\n";
    for (const auto& [job, posting] : profile.links) {
        ctx.out << std::left << std::setw(24) << job << posting << '\n';
    }
    return 0;
}

int remove_link(const std::string& job, Context& ctx) {
    bool found = false;
    auto saved = ctx.update_profile([&](profile::Profile& profile) -> Status {
        found = profile.links.erase(job) > 0;
        return {};
    });
    if (!saved) {
        return ctx.fail(saved.error());
    }
    if (!found) {
        return ctx.fail(make_error(ErrorKind::failure, "job " + job + " is not linked"));
    }
    ctx.note("Unlinked Purpose Jobs job " + job + ".");
    return 0;
}

// A job id the source has no applications for may be a typo (or a job too new to have
// any): warn, naming the source, but link anyway so a new job can be set up ahead.
void warn_if_unknown_job(const std::string& job, const profile::Profile& profile, Context& ctx) {
    auto source = open_source(ctx, profile);
    if (!source) {
        return; // no source yet: nothing to check against
    }
    auto presence = source::job_presence(**source, job);
    const std::string where = (*source)->describe();
    if (!presence) {
        ctx.note("pj-ats: warning: could not check Purpose Jobs job " + job + " at " + where + ": "
                 + presence.error().message);
    } else if (*presence == source::JobPresence::unknown_job) {
        ctx.note("pj-ats: warning: " + where + " does not know Purpose Jobs job " + job
                 + "; check the id (sync sends nothing for a job the source does not have)");
    } else if (*presence == source::JobPresence::no_applications) {
        ctx.note("pj-ats: warning: Purpose Jobs job " + job + " has no applications at " + where
                 + " yet; check the id if you expected some");
    }
}

int add_link(const std::string& job,
             const std::string& posting_id,
             bool verify,
             const profile::Profile& profile,
             Context& ctx) {
    PJATS_TRY_EXIT(ctx, source::check_record_id(job));
    std::string title;
    if (verify) {
        auto session = open_lever(ctx, profile);
        if (!session) {
            return ctx.fail(session.error());
        }
        auto posting = lever::published_posting(*(*session)->client, posting_id);
        if (!posting) {
            return ctx.fail(posting.error());
        }
        title = posting->text;
        warn_if_unknown_job(job, profile, ctx);
    }
    std::string replaced;
    auto saved = ctx.update_profile([&](profile::Profile& p) -> Status {
        const auto it = p.links.find(job);
        replaced = it != p.links.end() && it->second != posting_id ? it->second : "";
        p.links[job] = posting_id;
        return {};
    });
    if (!saved) {
        return ctx.fail(saved.error());
    }
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_object().key("job_id").value(job).key("posting_id").value(posting_id);
        json.key("posting_title").value(title).key("replaced_posting_id");
        if (replaced.empty()) {
            json.null();
        } else {
            json.value(replaced);
        }
        ctx.out << json.end_object().str() << '\n';
    } else {
        ctx.out << "Linked Purpose Jobs job " << job << " to Lever posting " << posting_id
                << (title.empty() ? "" : " (" + title + ")")
                << (replaced.empty() ? "" : "; was posting " + replaced) << '\n';
    }
    return 0;
}

int run_link_job(const LinkJobOptions& opts, Context& ctx) {
    const int modes =
        (opts.list ? 1 : 0) + (opts.remove.empty() ? 0 : 1) + (opts.args.empty() ? 0 : 1);
    if (modes != 1 || (!opts.args.empty() && opts.args.size() != 2)) {
        return ctx.fail(
            make_error(ErrorKind::usage,
                       "use `link-job PJ_JOB_ID LEVER_POSTING_ID`, `link-job --list` or "
                       "`link-job --remove PJ_JOB_ID`"));
    }
    if (!opts.remove.empty()) {
        return remove_link(opts.remove, ctx);
    }
    auto profile = ctx.active_profile();
    if (!profile) {
        return ctx.fail(profile.error());
    }
    if (opts.list) {
        return list_links(*profile, ctx);
    }
    return add_link(opts.args[0], opts.args[1], !opts.no_verify, *profile, ctx);
}

} // namespace

void add_link_job(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<LinkJobOptions>();
    CLI::App* sub = app.add_subcommand(
        "link-job", "Link a Purpose Jobs job to a Lever posting (its applicants flow with sync)");
    sub->add_option("ids", opts->args, "PJ_JOB_ID LEVER_POSTING_ID");
    sub->add_flag("--list", opts->list, "List the linked jobs");
    sub->add_option("--remove", opts->remove, "Remove the link of this Purpose Jobs job")
        ->option_text("PJ_JOB_ID");
    sub->add_flag("--no-verify",
                  opts->no_verify,
                  "Check nothing: neither the posting in Lever nor the job in the source");
    sub->callback([opts, &ctx] { ctx.exit_code = run_link_job(*opts, ctx); });
}

} // namespace pjats::cli
