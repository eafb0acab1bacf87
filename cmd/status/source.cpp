// `status`: the candidate source and the job links (local checks, no request).
#include "services.hpp"
#include "status/report.hpp"

#include <filesystem>

namespace pjats::cli {

void check_source(const profile::Profile& profile, Context& ctx, StatusReport& report) {
    const profile::SourceSettings& settings = profile.source;
    const std::string fix = command_prefix(ctx) + " configure source --dir PATH";
    const auto effective = settings_for(ctx, profile);
    const app::Setting url = effective->source_url();
    const bool url_from_env = settings.kind == "url" && url.origin == app::Origin::env;
    const std::string location = settings.kind == "url" ? url.value : settings.dir;
    bool ok = false;
    if (settings.kind.empty()) {
        report.fail("source", "no candidate source configured", fix, ExitCode::config);
    } else if (auto source = open_source(ctx, profile); !source) {
        report.fail("source", source.error().message, fix, exit_code_for(source.error()));
    } else if (settings.kind == "dir") {
        std::error_code ec;
        if (!std::filesystem::is_directory(settings.dir, ec)) {
            report.fail("source",
                        "dir " + settings.dir + " does not exist or is not a directory",
                        "restore the folder, or " + fix,
                        ExitCode::config);
        } else if (!std::filesystem::is_directory(settings.dir + "/candidates", ec)) {
            ok = true;
            report.warn("source",
                        "dir " + settings.dir + " has no candidates/ folder",
                        "put the export's candidates/<id>.json records in " + settings.dir
                            + "/candidates");
        } else {
            ok = true;
            report.ok("source", "dir " + settings.dir + " (candidates/ present)");
        }
    } else {
        // A url source: GET {url}/ is not part of the contract, so nothing is fetched.
        ok = true;
        std::string detail = settings.kind + " " + location;
        if (url_from_env) {
            detail += " (from $PJ_ATS_SOURCE_URL)";
        }
        auto token = effective->source_token();
        if (token) {
            detail += ", token "
                      + (token->origin == profile::SecretOrigin::none
                             ? std::string("none")
                             : describe_origin(*token, "token_command"));
        }
        report.ok("source", detail + "; configured, not checked live");
    }
    JsonWriter json;
    json.begin_object().key("kind");
    value_or_null(json,
                  settings.kind.empty() ? std::nullopt : std::optional<std::string>(settings.kind));
    json.key("location");
    value_or_null(json, location.empty() ? std::nullopt : std::optional<std::string>(location));
    json.key("ok").value(ok).end_object();
    report.set_section("source", json.str());
}

void check_links(const profile::Profile& profile, const Context& ctx, StatusReport& report) {
    JsonWriter json;
    json.begin_array();
    for (const auto& [job, posting] : profile.links) {
        json.begin_object().key("job_id").value(job).key("posting_id").value(posting).end_object();
    }
    json.end_array();
    report.set_section("links", json.str());
    const std::size_t count = profile.links.size();
    if (count == 0) {
        report.ok("links", "no linked jobs");
        return;
    }
    if (!profile.lever) {
        report.fail("links",
                    std::to_string(count) + " jobs are linked but Lever is not configured",
                    "printf '%s' \"$KEY\" | " + command_prefix(ctx)
                        + " configure lever --api-key-stdin --perform-as-email EMAIL",
                    ExitCode::config);
    } else {
        report.ok("links", std::to_string(count) + (count == 1 ? " linked job" : " linked jobs"));
    }
    for (const auto& [job, posting] : profile.links) {
        report.ok("link", "Purpose Jobs job " + job + " -> Lever posting " + posting);
    }
}

// The organization named in published postings (configure organization): needed by
// `postings --format jsonld` and by sync's publishing once Lever is configured.
void check_organization(const profile::Profile& profile, const Context& ctx, StatusReport& report) {
    if (!profile.organization.empty()) {
        report.ok("organization", "hiring organization for job postings: " + profile.organization);
    } else if (profile.lever && profile.source.kind == "url") {
        // sync publishes postings to a url source: without a name it publishes none.
        report.warn("organization",
                    "no organization name: sync publishes no job postings (Google's "
                    "JobPosting needs the hiring organization's real name)",
                    command_prefix(ctx) + " configure organization 'Your Organization Inc.'");
    } else if (profile.lever) {
        report.ok("organization",
                  "not set (needed only for job postings: `" + command_prefix(ctx)
                      + " configure organization NAME`)");
    }
}

} // namespace pjats::cli
