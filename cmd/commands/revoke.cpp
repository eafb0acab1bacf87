// `pj-ats revoke greenhouse|lever`: deletes stored credentials and names the server-side
// step, because deleting a local copy does not disable a key.
#include "commands/commands.hpp"

#include <pjats/core/json_writer.hpp>

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
    std::size_t links_removed = 0;
    auto saved = ctx.update_profile([&](profile::Profile& profile) -> Status {
        if (opts.target == "greenhouse") {
            removed = profile.greenhouse.has_value();
            profile.greenhouse.reset();
        }
        return {};
    });
    if (!saved) {
        return ctx.fail(saved.error());
    }
    const char* step = k_greenhouse_step;
    const char* env = "PJ_ATS_GREENHOUSE_API_KEY";
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_object().key("target").value(opts.target).key("removed").value(removed);
        json.key("links_removed").value(static_cast<std::int64_t>(links_removed));
        json.key("upstream_revoked").value(false).key("next_step").value(step).end_object();
        ctx.out << json.str() << '\n';
    } else {
        ctx.out << (removed ? "Removed the stored " : "No stored ") << opts.target
                << " credentials" << (removed ? "" : " to remove") << ".\n"
                << step << '\n';
    }
    if (std::getenv(env) != nullptr) {
        ctx.note(std::string("note: ") + env + " is still set in your environment");
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
