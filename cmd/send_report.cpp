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
        m_ctx.err << "pj-ats: error: stopped sending: " << m_ctx.explain(*stopped_by)
                  << " (no further candidates were tried)\n";
    }
    return m_tally.exit_code();
}

} // namespace pjats::cli
