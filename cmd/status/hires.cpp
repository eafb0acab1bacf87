// `status`: hires `track` has seen that no `hires` report has covered yet.
#include "status/report.hpp"

namespace pjats::cli {

void report_unreported_hires(ledger::Ledger& ledger, const Context& ctx, StatusReport& report) {
    auto rows = ledger.tracked();
    auto reported = ledger.meta("hires_reported_at");
    if (!rows || !reported) {
        return;
    }
    std::int64_t since = 0;
    try {
        since = reported->empty() ? 0 : std::stoll(*reported);
    } catch (const std::exception&) {
        since = 0;
    }
    std::size_t count = 0;
    for (const ledger::Tracked& row : *rows) {
        count += row.state == "hired" && row.hired_seen_at > since ? 1 : 0;
    }
    report.set_section("unreported_hires", std::to_string(count));
    if (count > 0) {
        report.warn("ledger.hires",
                    std::to_string(count) + (count == 1 ? " hire" : " hires")
                        + " seen by `track` since the last `hires` report",
                    "report them to Purpose Jobs: `" + command_prefix(ctx)
                        + " hires --since YYYY-MM-DD`");
    }
}

} // namespace pjats::cli
