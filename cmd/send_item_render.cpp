// One send item as the user reads it: a JSON line on stdout (--json) or a text line.
#include "send_report.hpp"

#include <pjats/core/json_writer.hpp>

#include <ostream>

namespace pjats::cli {

namespace {

std::string remote_noun(const std::string& target) {
    return target == "greenhouse" ? "candidate" : "opportunity";
}

} // namespace

void SendReporter::print_json(const send::ItemReport& item, const ItemContext* context) {
    JsonWriter json;
    json.begin_object();
    if (context != nullptr) {
        json.key("job_id").value(context->job_id).key("posting_id").value(context->posting_id);
        json.key("application_id").value(context->application_id);
        json.key("cursor").value(context->cursor);
    }
    json.key("candidate_id").value(item.candidate_id);
    json.key("target").value(m_target);
    json.key("status").value(send::to_string(item.status));
    if (!item.outcome.remote_id.empty()) {
        json.key("remote_id").value(item.outcome.remote_id);
    }
    if (!item.outcome.detail.empty()) {
        json.key("detail").value(item.outcome.detail);
    }
    if (item.status == send::ItemStatus::sent || item.status == send::ItemStatus::found_existing) {
        json.key("deduped").value(item.outcome.deduped);
    }
    if (item.status == send::ItemStatus::dry_run) {
        json.key("request").value(item.request);
    }
    if (!item.already_as.empty()) {
        json.key("already_as").value(item.already_as);
    }
    if (!item.steps.empty()) {
        json.key("steps").begin_array();
        for (const std::string& step : item.steps) {
            json.value(step);
        }
        json.end_array();
    }
    if (item.status == send::ItemStatus::failed || item.status == send::ItemStatus::review
        || item.status == send::ItemStatus::in_flight) {
        json.key("error");
        write_error_json(json, item.error);
        if (context != nullptr) {
            json.key("final").value(context->final);
        }
    }
    json.end_object();
    m_ctx.out << json.str() << '\n';
}

// " (+ note, file)": the follow-up steps this run did.
std::string SendReporter::steps_text(const send::ItemReport& item) {
    std::string text;
    for (const std::string& step : item.steps) {
        text += (text.empty() ? " (+ " : ", ") + step;
    }
    return text.empty() ? text : text + ")";
}

void SendReporter::print_already_as(const send::ItemReport& item) {
    if (item.already_as.empty() || m_ctx.global.quiet) {
        return;
    }
    const bool onto_job = item.already_as.rfind("prospect ", 0) == 0;
    m_ctx.err << "pj-ats: note: " << item.candidate_id << " was already in Greenhouse as "
              << item.already_as << "; "
              << (item.status == send::ItemStatus::dry_run ? "this would create" : "this created")
              << (onto_job ? " a second candidate on the job, because Greenhouse's Candidate "
                             "Ingestion API cannot add a job to an existing candidate"
                           : " a second candidate (a prospect), because Greenhouse's Candidate "
                             "Ingestion API cannot find or change an existing candidate")
              << " — merge the two in Greenhouse\n";
}

void SendReporter::print_text(const send::ItemReport& item, const ItemContext* context) {
    const std::string& id = item.candidate_id;
    const std::string stamp = m_timestamps ? log_stamp() : std::string();
    const std::string where = context == nullptr
                                  ? std::string()
                                  : " (job " + context->job_id + ", application "
                                        + context->application_id + ")";
    switch (item.status) {
    case send::ItemStatus::sent:
        m_ctx.out << stamp << "sent " << id << " to " << m_target << ": " << remote_noun(m_target)
                  << ' ' << item.outcome.remote_id;
        if (!item.outcome.detail.empty() && m_target == "greenhouse") {
            m_ctx.out << ' ' << item.outcome.detail;
        }
        if (context != nullptr) {
            m_ctx.out << " on posting " << context->posting_id << where;
        }
        if (item.outcome.deduped) {
            m_ctx.out << " (Lever matched an existing contact by email and reused it)";
        }
        m_ctx.out << steps_text(item) << '\n';
        print_already_as(item);
        break;
    case send::ItemStatus::found_existing:
        m_ctx.out << stamp << "found " << id << " in " << m_target << ": "
                  << remote_noun(m_target) << ' ' << item.outcome.remote_id << where
                  << " (created by an earlier, interrupted send)" << steps_text(item) << '\n';
        break;
    case send::ItemStatus::skipped:
        if (item.outcome.remote_id.empty() && !item.outcome.detail.empty()) {
            m_ctx.out << stamp << "skipped " << id << where << ": " << item.outcome.detail << '\n';
            break; // not sent, and not sent again (sync: a rejected record, unchanged)
        }
        m_ctx.out << stamp << "skipped " << id << ": already sent to " << m_target << " ("
                  << remote_noun(m_target) << ' ' << item.outcome.remote_id << ")" << where
                  << (context == nullptr ? "; use --force to send again" : "") << '\n';
        break;
    case send::ItemStatus::dry_run:
        m_ctx.out << stamp << "# dry run: would send candidate " << id << where
                  << " (nothing sent)\n";
        if (context == nullptr || m_ctx.global.verbose > 0) {
            m_ctx.out << item.request;
            if (!item.request.empty() && item.request.back() != '\n') {
                m_ctx.out << '\n';
            }
        }
        print_already_as(item);
        break;
    case send::ItemStatus::review:
        m_ctx.err << stamp << "pj-ats: review " << id << where << ": " << m_ctx.explain(item.error)
                  << '\n';
        break;
    case send::ItemStatus::failed:
        m_ctx.err << stamp << "pj-ats: error: candidate " << id << where << ": "
                  << m_ctx.explain(item.error)
                  << (context != nullptr && !context->final ? " (will be retried)" : "") << '\n';
        break;
    case send::ItemStatus::in_flight:
        m_ctx.err << stamp << "pj-ats: in flight " << id << where << ": " << item.error.message
                  << (context != nullptr ? " (looked at again next run)" : "") << '\n';
        break;
    }
}

} // namespace pjats::cli
