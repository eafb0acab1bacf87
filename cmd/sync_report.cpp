#include "sync_report.hpp"
#include "services.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/lever/posting_check.hpp>
#include <pjats/sync/publish.hpp>

#include <ostream>

namespace pjats::cli {

// Publishes Lever's published postings to a source that accepts jobs; failures are added
// to `summary.tally`.
PublishCounts publish(Context& ctx,
                      const profile::Profile& profile,
                      source::Source& source,
                      ledger::Ledger* ledger,
                      bool dry_run,
                      sync::Summary& summary) {
    PublishCounts counts;
    auto report_failure = [&](const std::string& posting_id, const Error& error) {
        ++counts.failed;
        summary.tally.add_failure(error);
        if (ctx.global.json) {
            JsonWriter json;
            json.begin_object().key("posting_id").value(posting_id);
            json.key("status").value("publish_failed").key("error");
            write_error_json(json, error);
            json.end_object();
            ctx.out << json.str() << '\n';
        } else {
            ctx.err << log_stamp() << "pj-ats: error: failed to publish "
                    << (posting_id.empty() ? std::string("postings") : "posting " + posting_id)
                    << ": " << ctx.explain(error) << '\n';
        }
    };
    auto session = open_lever(ctx, profile);
    if (!session) {
        report_failure("", session.error());
        return counts;
    }
    auto postings = (*session)->client->postings("published");
    if (!postings) {
        report_failure("", postings.error());
        return counts;
    }
    for (const sync::PublishReport& report :
         sync::publish_postings(source, *postings, ledger, dry_run)) {
        switch (report.status) {
        case sync::PublishReport::Status::failed:
            report_failure(report.posting_id, report.error);
            continue;
        case sync::PublishReport::Status::unchanged:
            ++counts.unchanged;
            continue;
        case sync::PublishReport::Status::planned:
            ++counts.planned;
            break;
        case sync::PublishReport::Status::published:
            ++counts.published;
            break;
        case sync::PublishReport::Status::retracted:
            ++counts.retracted;
            break;
        case sync::PublishReport::Status::retract_planned:
            ++counts.planned;
            break; // a closed posting to withdraw from the source (dry run)
        }
        const bool retraction = report.status == sync::PublishReport::Status::retracted
                                || report.status == sync::PublishReport::Status::retract_planned;
        if (ctx.global.json) {
            JsonWriter json;
            json.begin_object().key("posting_id").value(report.posting_id);
            json.key("status").value(sync::to_string(report.status)).end_object();
            ctx.out << json.str() << '\n';
        } else if (retraction) {
            ctx.out << log_stamp() << (dry_run ? "would retract" : "retracted")
                    << " Lever posting "
                    << report.posting_id << " (no longer published) from " << source.describe()
                    << '\n';
        } else {
            ctx.out << log_stamp() << (dry_run ? "would publish" : "published")
                    << " Lever posting "
                    << report.posting_id << " to " << source.describe() << '\n';
        }
    }
    return counts;
}

void warn_closed_postings(Context& ctx, const profile::Profile& profile) {
    auto session = open_lever(ctx, profile);
    if (!session) {
        return; // the run itself reported why Lever cannot be reached
    }
    for (const auto& [job_id, posting_id] : profile.links) {
        auto posting = lever::published_posting(*(*session)->client, posting_id);
        if (posting || (posting.error().kind != ErrorKind::validation
                        && posting.error().kind != ErrorKind::not_found)) {
            continue;
        }
        const std::lock_guard<std::mutex> lock(ctx.output_mutex());
        if (ctx.global.json) {
            JsonWriter json;
            json.begin_object().key("job_id").value(job_id).key("posting_id").value(posting_id);
            json.key("status").value("posting_closed").key("error");
            write_error_json(json, posting.error());
            json.end_object();
            ctx.out << json.str() << '\n';
        } else if (!ctx.global.quiet) {
            ctx.err << log_stamp() << "pj-ats: warning: job " << job_id
                    << " is linked to a Lever posting that is not open: "
                    << posting.error().message << "; link it to an open one with `pj-ats link-job "
                    << job_id << " POSTING_ID`\n";
        }
    }
}

void print_summary(Context& ctx,
                   const sync::Summary& summary,
                   const PublishCounts& published,
                   bool dry_run) {
    const sync::Counts& c = summary.counts;
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_object().key("summary").begin_object();
        json.key("counts").raw(sync::counts_json(c));
        json.key("postings").begin_object();
        json.key("published").value(published.published);
        json.key("unchanged").value(published.unchanged);
        json.key("planned").value(published.planned);
        json.key("failed").value(published.failed);
        json.key("retracted").value(published.retracted);
        json.end_object();
        json.key("dry_run").value(dry_run);
        json.key("interrupted").value(summary.interrupted);
        json.key("limited").value(summary.limited);
        json.end_object().end_object();
        ctx.out << json.str() << '\n';
        return;
    }
    if (ctx.global.quiet) {
        return;
    }
    if (dry_run) {
        ctx.err << "dry run: " << c.planned << " application(s) would be sent to Lever over "
                << c.jobs << " job(s); nothing was sent\n";
        return;
    }
    ctx.err << log_stamp() << "sync: " << c.sent << " sent, " << c.skipped
            << " already sent, " << c.in_flight << " in flight in another run, " << c.failed
            << " failed, " << c.temporary << " to retry, " << c.review << " for review, "
            << c.source_errors << " unreadable, over " << c.jobs << " job(s)"
            << (summary.limited ? " (stopped at --limit)" : "")
            << (summary.interrupted ? " (interrupted; re-run to continue)" : "") << '\n';
    if (published.published + published.failed + published.retracted > 0) {
        ctx.err << log_stamp() << "postings: " << published.published << " published, "
                << published.retracted << " retracted, " << published.failed << " failed\n";
    }
}

} // namespace pjats::cli
