#pragma once

#include "context.hpp"

#include <pjats/send/sender.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace pjats::cli {

// Prints one line per candidate (text, or a JSON object per line with --json), keeps the
// counts, and turns them into the exit code: 0 all ok, 3 some sent and some failed,
// otherwise the code of the failures (1 when they differ).
class SendReporter {
  public:
    SendReporter(Context& ctx, std::string target)
        : m_ctx(ctx),
          m_target(std::move(target)) {}

    // Not thread-safe: concurrent callers serialise their calls (run_bulk does). Output to
    // `err` is written under Context::output_mutex().
    void add(const send::ItemReport& item);
    void add_failure(const std::string& candidate_id, const Error& error);

    // Redraws one progress line on stderr ("[lever] 120/200 sent 110 · skipped 5 ·
    // failed 5 · 9.8/s · ETA 8s") as items come in, at most five times a second, clearing
    // it before any other output. `total` is nullopt when unknown (ids streamed from a
    // file). For a terminal only.
    void enable_progress(std::optional<std::int64_t> total);

    // The run stopped early on a signal: finish() says so and returns 130. After a forced
    // run the advice is not to repeat the command, which would re-send what went out.
    void set_interrupted(bool forced = false) {
        m_interrupted = true;
        m_forced = forced;
    }

    // The run stopped taking candidates after `error` (an authentication failure):
    // finish() says so and returns its exit code.
    void set_stopped_by(const Error& error) {
        m_stopped_by = error;
    }

    // Prints the summary (when more than one candidate, or with --json, or after an
    // interrupt) and returns the exit code.
    int finish();

    struct Counts {
        std::int64_t sent = 0;
        std::int64_t skipped = 0;
        std::int64_t failed = 0;
        std::int64_t review = 0;
        std::int64_t dry_run = 0;
        std::int64_t in_flight = 0; // held by another live run
    };

    const Counts& counts() const {
        return m_counts;
    }

  private:
    void print_json(const send::ItemReport& item);
    void print_text(const send::ItemReport& item);
    void print_already_as(const send::ItemReport& item);
    void remember_failure(const Error& error);
    void clear_progress();
    void draw_progress(bool force);

    Context& m_ctx;
    std::string m_target;
    Counts m_counts;
    std::optional<int> m_failure_code; // common exit code of the failures, -1 when mixed
    bool m_interrupted = false;
    bool m_forced = false;
    std::optional<Error> m_stopped_by;
    bool m_progress = false;
    bool m_progress_shown = false;
    bool m_stdout_terminal = false;
    std::optional<std::int64_t> m_total;
    std::chrono::steady_clock::time_point m_started;
    std::chrono::steady_clock::time_point m_last_draw;
};

} // namespace pjats::cli
