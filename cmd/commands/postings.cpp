// `pj-ats postings [--state S] [--format table|json|jsonld]`: Lever postings, all pages;
// jsonld prints schema.org JobPosting documents (what job boards ingest).
#include "commands/commands.hpp"
#include "services.hpp"
#include "table.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/lever/jsonld.hpp>
#include <pjats/sync/publish.hpp>

#include <ostream>

namespace pjats::cli {

namespace {

struct PostingsOptions {
    std::string state = "published";
    std::string format;
    std::string organization;
};

// The organisation name for JobPosting.hiringOrganization: --organization, else the Lever
// site name that sync also publishes with.
std::string organization_for(const lever::Posting& posting, const std::string& given) {
    return given.empty() ? sync::hiring_organization(posting) : given;
}

void write_json(const std::vector<lever::Posting>& postings, Context& ctx) {
    JsonWriter json;
    json.begin_array();
    for (const auto& p : postings) {
        json.begin_object().key("id").value(p.id).key("title").value(p.text);
        json.key("state").value(p.state).key("team").value(p.categories.team);
        json.key("location").value(p.categories.location);
        json.key("commitment").value(p.categories.commitment);
        json.key("workplace_type").value(p.workplace_type).key("country").value(p.country);
        json.key("created_at").value(p.created_at).key("updated_at").value(p.updated_at);
        json.key("url").value(p.urls.show).key("apply_url").value(p.urls.apply).end_object();
    }
    json.end_array();
    ctx.out << json.str() << '\n';
}

int run_postings(const PostingsOptions& opts, Context& ctx) {
    std::string format = opts.format.empty() ? (ctx.global.json ? "json" : "table") : opts.format;
    auto profile = ctx.active_profile();
    if (!profile) {
        return ctx.fail(profile.error());
    }
    auto session = open_lever(ctx, *profile);
    if (!session) {
        return ctx.fail(session.error());
    }
    auto postings = (*session)->client->postings(opts.state);
    if (!postings) {
        return ctx.fail(postings.error());
    }
    if (format == "json") {
        write_json(*postings, ctx);
    } else if (format == "jsonld") {
        JsonWriter json;
        json.begin_array();
        for (const auto& posting : *postings) {
            json.raw(lever::posting_jsonld(posting, organization_for(posting, opts.organization)));
        }
        json.end_array();
        ctx.out << json.str() << '\n';
    } else {
        Table table({{"ID", false, 0},
                     {"STATE", false, 2},
                     {"LOCATION", true, 1},
                     {"TITLE", true, 0}});
        for (const auto& p : *postings) {
            table.add({p.id, p.state, p.categories.location, p.text});
        }
        print_fitted(ctx, table);
        ctx.note(std::to_string(postings->size()) + " " + opts.state + " postings");
    }
    return 0;
}

} // namespace

void add_postings(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<PostingsOptions>();
    CLI::App* sub = app.add_subcommand("postings", "List Lever postings (all pages)");
    sub->add_option("--state", opts->state, "Posting state (default published)")
        ->check(CLI::IsMember({"published", "internal", "closed", "draft", "pending", "rejected"}));
    sub->add_option("--format", opts->format, "table, json or jsonld (schema.org JobPosting)")
        ->check(CLI::IsMember({"table", "json", "jsonld"}));
    sub->add_option("--organization",
                    opts->organization,
                    "hiringOrganization name for jsonld (default: the Lever site name)");
    sub->callback([opts, &ctx] { ctx.exit_code = run_postings(*opts, ctx); });
}

} // namespace pjats::cli
