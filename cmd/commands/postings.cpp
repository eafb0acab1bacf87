// `pj-ats postings [--state S] [--format table|json|jsonld]`: Lever postings, all pages;
// jsonld prints schema.org JobPosting documents (what job boards ingest).
#include "commands/commands.hpp"
#include "services.hpp"
#include "table.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/lever/jsonld.hpp>

#include <ctime>
#include <iomanip>
#include <optional>
#include <ostream>

namespace pjats::cli {

namespace {

struct PostingsOptions {
    std::string state = "published";
    std::string format;
    std::string organization;
};

// Lever's answer holds only postings in `state`: a server that ignored the filter must not
// make a draft or closed posting look published.
std::vector<lever::Posting> in_state(std::vector<lever::Posting> postings,
                                     const std::string& state) {
    std::vector<lever::Posting> kept;
    for (lever::Posting& posting : postings) {
        if (posting.state == state) {
            kept.push_back(std::move(posting));
        }
    }
    return kept;
}

// JobPosting documents for the postings that can be valid for Google; each other one is
// named in a warning (with why) and left out.
void write_jsonld(const std::vector<lever::Posting>& postings,
                  const std::string& organization,
                  Context& ctx) {
    JsonWriter json;
    json.begin_array();
    for (const auto& posting : postings) {
        const lever::JobPostingDocument doc = lever::job_posting(posting, organization);
        if (doc.problems.empty()) {
            json.raw(doc.json);
        }
        std::string why;
        for (const std::string& problem : doc.problems) {
            why += (why.empty() ? "" : "; ") + problem;
        }
        if (!why.empty()) {
            ctx.note("warning: Lever posting " + posting.id + " \"" + posting.text
                     + "\" left out: not a valid JobPosting for Google (" + why + ")");
        }
        for (const std::string& omitted : doc.omitted) {
            if (doc.problems.empty()) {
                ctx.note("warning: Lever posting " + posting.id + ": written without " + omitted);
            }
        }
    }
    json.end_array();
    ctx.out << json.str() << '\n';
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
    auto listed = (*session)->client->postings(opts.state);
    if (!listed) {
        return ctx.fail(listed.error());
    }
    const auto postings = std::make_optional(in_state(std::move(*listed), opts.state));
    if (format == "json") {
        write_json(*postings, ctx);
    } else if (format == "jsonld") {
        const std::string& organization =
            opts.organization.empty() ? profile->organization : opts.organization;
        if (organization.empty()) {
            ctx.note("warning: no organization name: set it with `pj-ats configure organization "
                     "NAME` or give --organization; JobPosting needs the hiring organization's "
                     "real name");
        }
        write_jsonld(*postings, organization, ctx);
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
                    "hiringOrganization name for jsonld (default: the profile's, set by "
                    "configure organization)");
    sub->callback([opts, &ctx] { ctx.exit_code = run_postings(*opts, ctx); });
}

} // namespace pjats::cli
