// `pj-ats revoke greenhouse|lever`: deletes stored credentials and names the server-side
// step, because deleting a local copy does not disable a key.
#include "commands/commands.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/lever/credentials.hpp>

#include <cstdlib>
#include <ostream>

namespace pjats::cli {

namespace {

struct RevokeOptions {
    std::string target;
};

constexpr const char* k_greenhouse_step =
    "To disable the key itself: in Greenhouse go to Configure > Dev Center > API Credential "
    "Management, find the Candidate Ingestion key for purpose.jobs and revoke it.";

int run_revoke(const RevokeOptions& opts, Context& ctx) {
    bool removed = false;
    bool was_oauth = false;
    std::size_t links_removed = 0;
    auto saved = ctx.update_profile([&](profile::Profile& profile) -> Status {
        if (opts.target == "greenhouse") {
            removed = profile.greenhouse.has_value();
            profile.greenhouse.reset();
        } else {
            removed = profile.lever.has_value();
            was_oauth = removed && profile.lever->auth == "oauth";
            profile.lever.reset();
            links_removed = profile.links.size();
            profile.links.clear();
        }
        return {};
    });
    if (!saved) {
        return ctx.fail(saved.error());
    }
    const bool greenhouse = opts.target == "greenhouse";
    // Lever documents no revocation endpoint (docs/lever.md), so nothing is revoked upstream.
    const char* step = greenhouse ? k_greenhouse_step
                                  : (was_oauth ? lever::k_revoke_oauth_step : lever::k_revoke_api_key_step);
    const char* env = greenhouse ? "PJ_ATS_GREENHOUSE_API_KEY" : "PJ_ATS_LEVER_API_KEY";
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_object().key("target").value(opts.target).key("removed").value(removed);
        json.key("links_removed").value(static_cast<std::int64_t>(links_removed));
        json.key("upstream_revoked").value(false).key("next_step").value(step).end_object();
        ctx.out << json.str() << '\n';
    } else {
        ctx.out << (removed ? "Removed the stored " : "No stored ") << opts.target
                << " credentials" << (removed ? "" : " to remove") << ".\n";
        if (links_removed > 0) {
            ctx.out << "Removed " << links_removed << " job link(s).\n";
        }
        ctx.out << step << '\n';
    }
    if (std::getenv(env) != nullptr) {
        ctx.note(std::string("pj-ats: note: ") + env + " is still set in your environment");
    }
    return 0;
}

} // namespace

void add_revoke(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<RevokeOptions>();
    CLI::App* sub = app.add_subcommand("revoke", "Remove stored credentials and show how to revoke upstream");
    sub->add_option("target", opts->target, "greenhouse or lever")
        ->required()
        ->check(CLI::IsMember({"greenhouse", "lever"}));
    sub->callback([opts, &ctx] { ctx.exit_code = run_revoke(*opts, ctx); });
}

} // namespace pjats::cli
