#include <pjats/core/exit_code.hpp>
#include <pjats/send/tally.hpp>

namespace pjats::send {

bool is_retryable(const Error& error) {
    return error.outcome_unknown
           || (error.kind != ErrorKind::validation && error.kind != ErrorKind::not_found);
}

void Tally::remember(const Error& error) {
    const int code = to_int(exit_code_for(error));
    if (!m_failure_code) {
        m_failure_code = code;
    } else if (*m_failure_code != code) {
        m_failure_code = to_int(ExitCode::failure);
    }
}

void Tally::add(const ItemReport& report) {
    switch (report.status) {
    case ItemStatus::sent:
    case ItemStatus::found_existing:
        ++m_counts.sent;
        return;
    case ItemStatus::skipped:
        ++m_counts.skipped;
        return;
    case ItemStatus::dry_run:
        ++m_counts.dry_run;
        return;
    case ItemStatus::in_flight:
        ++m_counts.in_flight;
        return;
    case ItemStatus::review:
        ++m_counts.review;
        remember(report.error);
        return;
    case ItemStatus::failed:
        ++m_counts.failed;
        if (is_retryable(report.error)) {
            ++m_counts.retryable;
        }
        remember(report.error);
        return;
    }
}

void Tally::add_failure(const Error& error) {
    ++m_counts.other_failures;
    remember(error);
}

void Tally::stop(const Error& error) {
    if (!m_stopped_by) {
        m_stopped_by = error;
    }
}

int Tally::exit_code() const {
    if (m_stopped_by) {
        return to_int(exit_code_for(*m_stopped_by));
    }
    if (m_interrupted) {
        return to_int(ExitCode::interrupted);
    }
    if (m_counts.failed + m_counts.review + m_counts.other_failures == 0) {
        return to_int(ExitCode::ok);
    }
    if (m_counts.sent + m_counts.skipped > 0) {
        return to_int(ExitCode::partial);
    }
    return m_failure_code.value_or(to_int(ExitCode::failure));
}

} // namespace pjats::send
