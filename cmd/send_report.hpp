#pragma once

#include "context.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/send/sender.hpp>
#include <pjats/send/tally.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace pjats::cli {

// The error object of every --json line: {"kind","message","field"?,"http_status"?,
// "exit_code"} (docs/json-output.md).
void write_error_json(JsonWriter& json, const Error& error);

// The current UTC time, e.g. "2026-12-03T07:00:00Z".
std::string utc_timestamp();

// For log lines: the UTC time and a space when stdout is not a terminal (a cron log), else
// nothing.
std::string log_stamp();

// Where an item of a `sync` run came from; printed with its report (text: "(job J,
// application A)"; --json: job_id, posting_id, application_id, cursor, final).
struct ItemContext {
    std::string job_id;
    std::string posting_id;
    std::string application_id;
    std::string cursor;
    bool final = true; // the cursor may pass it; false: the next run retries it
};

// Prints one line per item — the one report shape of `send` and `sync` (text, or a JSON
// object per line with --json) — and tallies them (send::Tally: the exit-code rule).
class SendReporter {
  public:
    SendReporter(Context& ctx, std::string target)
        : m_ctx(ctx),
          m_target(std::move(target)) {}

    // Not thread-safe: concurrent callers serialise their calls (send::run does). Output to
    // `err` is written under Context::output_mutex().
    void add(const send::ItemReport& item, const ItemContext* context = nullptr);
    void add_failure(const std::string& candidate_id, const Error& error);

    // Text lines start with the UTC time when stdout is not a terminal (sync: runs appended
    // to a log stay apart).
    void enable_timestamps() { m_timestamps = true; }

    // Redraws one progress line on stderr ("[lever] 120/200 sent 110 · skipped 5 ·
    // failed 5 · 9.8/s · ETA 8s") as items come in, at most five times a second, clearing
    // it before any other output. `total` is nullopt when unknown (ids streamed from a
    // file). For a terminal only.
    void enable_progress(std::optional<std::int64_t> total);

    // The run stopped early on a signal: finish() says so and returns 130. After a forced
    // run the advice is not to repeat the command, which would re-send what went out.
    void set_interrupted(bool forced = false) {
        m_tally.interrupt();
        m_forced = forced;
    }

    // The run stopped taking candidates after `error` (an authentication failure):
    // finish() says so and returns its exit code.
    void set_stopped_by(const Error& error) {
        m_tally.stop(error);
    }

    // Prints the summary (when more than one candidate, or with --json, or after an
    // interrupt) and returns the exit code.
    int finish();

    const send::Tally& tally() const {
        return m_tally;
    }

  private:
    void print_json(const send::ItemReport& item, const ItemContext* context);
    void print_text(const send::ItemReport& item, const ItemContext* context);
    static std::string steps_text(const send::ItemReport& item);
    void print_already_as(const send::ItemReport& item);
    void remember_failure(const Error& error);
    void clear_progress();
    void draw_progress(bool force);

    Context& m_ctx;
    std::string m_target;
    send::Tally m_tally;
    bool m_forced = false;
    bool m_timestamps = false;
    bool m_progress = false;
    bool m_progress_shown = false;
    bool m_stdout_terminal = false;
    std::optional<std::int64_t> m_total;
    std::chrono::steady_clock::time_point m_started;
    std::chrono::steady_clock::time_point m_last_draw;
};

} // namespace pjats::cli
