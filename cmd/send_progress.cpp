// The progress line of a bulk send on a terminal's stderr: done/total, rate and ETA.
#include "send_report.hpp"

#include <unistd.h>

#include <cstdio>
#include <ostream>

namespace pjats::cli {

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

} // namespace pjats::cli
