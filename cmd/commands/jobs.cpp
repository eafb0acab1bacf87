// `pj-ats jobs`: the Greenhouse jobs the On-Behalf-Of user may add candidates to.
#include "commands/commands.hpp"
#include "services.hpp"

#include <pjats/core/json_writer.hpp>

#include <iomanip>
#include <ostream>

namespace pjats::cli {

namespace {

int run_jobs(Context& ctx) {
    auto profile = ctx.active_profile();
    if (!profile) {
        return ctx.fail(profile.error());
    }
    auto access = greenhouse_access(ctx, *profile);
    if (!access) {
        return ctx.fail(access.error());
    }
    greenhouse::Client client(ctx.transports(*profile).target("greenhouse"),
                              access->base_url,
                              access->key.value,
                              access->email);
    auto jobs = client.jobs();
    if (!jobs) {
        return ctx.fail(jobs.error());
    }
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_array();
        for (const auto& job : *jobs) {
            json.begin_object().key("id").value(job.id).key("name").value(job.name);
            json.key("status").value(job.status).key("public").value(job.is_public).end_object();
        }
        json.end_array();
        ctx.out << json.str() << '\n';
        return 0;
    }
    if (jobs->empty()) {
        ctx.note("No open jobs are visible to " + access->email + ".");
        return 0;
    }
    ctx.out << std::left << std::setw(12) << "ID" << std::setw(8) << "PUBLIC" << "NAME\n";
    for (const auto& job : *jobs) {
        ctx.out << std::left << std::setw(12) << job.id << std::setw(8)
                << (job.is_public ? "yes" : "no") << job.name << '\n';
    }
    return 0;
}

} // namespace

void add_jobs(CLI::App& app, Context& ctx) {
    CLI::App* sub = app.add_subcommand("jobs", "List the Greenhouse jobs you can send candidates to");
    sub->callback([&ctx] { ctx.exit_code = run_jobs(ctx); });
}

} // namespace pjats::cli
