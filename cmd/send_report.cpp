#include "send_report.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/http/secrets.hpp>

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <mutex>
#include <ostream>

namespace pjats::cli {

std::string log_stamp() {
    return isatty(STDOUT_FILENO) == 1 ? std::string() : utc_timestamp() + ' ';
}

std::string utc_timestamp() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

void write_error_json(JsonWriter& json, const Error& error) {
    json.begin_object();
    json.key("kind").value(to_string(error.kind));
    json.key("message").value(with_hint(error));
    if (!error.field.empty()) {
        json.key("field").value(error.field);
    }
    if (error.http_status != 0) {
        json.key("http_status").value(error.http_status);
    }
    json.key("exit_code").value(to_int(exit_code_for(error)));
    json.end_object();
}

namespace {

std::string remote_noun(const std::string& target) {
    return target == "greenhouse" ? "candidate" : "opportunity";
}

} // namespace

void SendReporter::add_failure(const std::string& candidate_id, const Error& error) {
    send::ItemReport item;
    item.candidate_id = candidate_id;
    item.status = send::ItemStatus::failed;
    item.error = error;
    add(item);
}

void SendReporter::add(const send::ItemReport& reported, const ItemContext* context) {
    // Every text in a report may quote a server's answer, which may echo a credential.
    send::ItemReport item = reported;
    http::scrub_error(item.error);
    item.outcome.detail = http::scrub_secrets(item.outcome.detail);
    item.request = http::scrub_secrets(item.request);
    m_tally.add(item);
    const std::lock_guard<std::mutex> lock(m_ctx.output_mutex());
    // Errors go to stderr, under the progress line; results to stdout, which may be the
    // same terminal.
    const bool on_terminal = item.status == send::ItemStatus::failed
                             || item.status == send::ItemStatus::review || m_stdout_terminal;
    const bool cleared = m_progress_shown && on_terminal;
    if (cleared) {
        clear_progress();
    }
    if (m_ctx.global.json) {
        print_json(item, context);
    } else {
        print_text(item, context);
    }
    draw_progress(cleared);
}

void SendReporter::enable_progress(std::optional<std::int64_t> total) {
    m_progress = true;
    m_stdout_terminal = isatty(STDOUT_FILENO) == 1;
    m_total = total;
    m_started = std::chrono::steady_clock::now();
    m_last_draw = m_started;
}

void SendReporter::clear_progress() {
    if (m_progress_shown) {
        m_ctx.err << "\r\x1b[K" << std::flush;
        m_progress_shown = false;
    }
}

void SendReporter::draw_progress(bool force) {
    if (!m_progress) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - m_last_draw < std::chrono::milliseconds(200)) {
        return;
    }
    m_last_draw = now;
    const send::TallyCounts& c = m_tally.counts();
    const std::int64_t done = c.sent + c.skipped + c.failed + c.review;
    const double seconds = std::chrono::duration<double>(now - m_started).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
    char rate_text[32];
    std::snprintf(rate_text, sizeof rate_text, "%.1f/s", rate);
    m_ctx.err << "\r\x1b[K[" << m_target << "] " << done << '/'
              << (m_total ? std::to_string(*m_total) : std::string("?")) << " sent " << c.sent
              << " \u00b7 skipped " << c.skipped << " \u00b7 failed " << c.failed + c.review
              << " \u00b7 " << rate_text;
    if (m_total && rate > 0 && *m_total >= done) {
        const auto eta = static_cast<std::int64_t>(static_cast<double>(*m_total - done) / rate);
        m_ctx.err << " \u00b7 ETA " << eta << 's';
    }
    m_ctx.err << std::flush;
    m_progress_shown = true;
}

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
    m_ctx.err << "pj-ats: note: " << item.candidate_id << " was already in Greenhouse as "
              << item.already_as << "; "
              << (item.status == send::ItemStatus::dry_run ? "this would create" : "this created")
              << " a second candidate on the job, because Greenhouse's Candidate Ingestion API "
                 "cannot add a job to an existing candidate — merge the two in Greenhouse\n";
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
        m_ctx.err << stamp << "pj-ats: review " << id << where << ": " << with_hint(item.error)
                  << '\n';
        break;
    case send::ItemStatus::failed:
        m_ctx.err << stamp << "pj-ats: error: candidate " << id << where << ": "
                  << with_hint(item.error)
                  << (context != nullptr && !context->final ? " (will be retried)" : "") << '\n';
        break;
    case send::ItemStatus::in_flight:
        m_ctx.err << stamp << "pj-ats: in flight " << id << where << ": " << item.error.message
                  << (context != nullptr ? " (looked at again next run)" : "") << '\n';
        break;
    }
}

int SendReporter::finish() {
    const std::lock_guard<std::mutex> lock(m_ctx.output_mutex());
    clear_progress();
    const send::TallyCounts& c = m_tally.counts();
    const std::int64_t total = c.items();
    const bool interrupted = m_tally.interrupted();
    const auto& stopped_by = m_tally.stopped_by();
    if (m_ctx.global.json) {
        JsonWriter json;
        json.begin_object().key("summary").begin_object();
        json.key("target").value(m_target);
        json.key("total").value(total).key("sent").value(c.sent).key("skipped").value(c.skipped);
        json.key("failed").value(c.failed).key("review").value(c.review);
        json.key("dry_run").value(c.dry_run).key("in_flight").value(c.in_flight);
        if (interrupted) {
            json.key("interrupted").value(true);
        }
        if (stopped_by) {
            json.key("stopped").value(stopped_by->message);
        }
        json.end_object().end_object();
        m_ctx.out << json.str() << '\n';
    } else if ((total > 1 || interrupted) && !m_ctx.global.quiet) {
        m_ctx.err << m_target << ": " << c.sent << " sent, " << c.skipped << " skipped, "
                  << c.failed << " failed";
        if (c.review > 0) {
            m_ctx.err << ", " << c.review << " need review";
        }
        if (c.in_flight > 0) {
            m_ctx.err << ", " << c.in_flight << " in flight in another run";
        }
        if (interrupted && m_forced) {
            m_ctx.err << " (interrupted: the remaining candidates were not started; do not "
                         "repeat this --force command, it would send the ones above again — "
                         "run --force again only for the ids not reported above)";
        } else if (interrupted) {
            m_ctx.err << " (interrupted: the remaining candidates were not started; re-run "
                         "the same command to continue — candidates already sent are skipped)";
        }
        m_ctx.err << '\n';
    }
    if (stopped_by) {
        m_ctx.err << "pj-ats: error: stopped sending: " << with_hint(*stopped_by)
                  << " (no further candidates were tried)\n";
    }
    return m_tally.exit_code();
}

} // namespace pjats::cli
