#pragma once

#include "context.hpp"

#include <pjats/send/sender.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace pjats::cli {

// Prints one line per candidate (text, or a JSON object per line with --json), keeps the
// counts, and turns them into the exit code: 0 all ok, 3 some sent and some failed,
// otherwise the code of the failures (1 when they differ).
class SendReporter {
  public:
    SendReporter(Context& ctx, std::string target) : m_ctx(ctx), m_target(std::move(target)) {}

    void add(const send::ItemReport& item);
    void add_failure(const std::string& candidate_id, const Error& error);

    // Prints the summary (when more than one candidate, or with --json) and returns the
    // exit code.
    int finish();

    struct Counts {
        std::int64_t sent = 0;
        std::int64_t skipped = 0;
        std::int64_t failed = 0;
        std::int64_t review = 0;
        std::int64_t dry_run = 0;
    };

    const Counts& counts() const { return m_counts; }

  private:
    void print_json(const send::ItemReport& item);
    void print_text(const send::ItemReport& item);
    void remember_failure(const Error& error);

    Context& m_ctx;
    std::string m_target;
    Counts m_counts;
    std::optional<int> m_failure_code; // common exit code of the failures, -1 when mixed
};

} // namespace pjats::cli
