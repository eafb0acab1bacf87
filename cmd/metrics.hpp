#pragma once

// Prometheus text-format metrics of a `sync`, `send` or `track` run, for node_exporter's
// textfile collector: `--metrics-file PATH`, else the profile's `metrics_file`. The file
// is replaced atomically (a temporary file in the same folder, renamed over it) at the end
// of the run, mode 0644; counters (`*_total`) and the last success time carry over from
// the file the previous run wrote. Dry runs, runs skipped by the lock (exit 8) and usage
// errors write nothing. Metric names and labels: docs/sync.md ("Monitoring").

#include "context.hpp"

#include <pjats/send/tally.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pjats::cli {

// Adds `--metrics-file PATH` to a command.
void add_metrics_option(CLI::App& command, std::string& path);

// One run's numbers, filled in by the command.
class RunMetrics {
  public:
    RunMetrics(Context& ctx, std::string command, std::string flag_path);

    // The items of the run by outcome: sent, skipped, failed, review (send, sync).
    void set_counts(const send::TallyCounts& counts);
    // track: tracked, changed, failed.
    void set_outcomes(std::vector<std::pair<std::string, std::int64_t>> outcomes);
    // Nothing is written (a dry run).
    void skip() {
        m_skip = true;
    }

    // Writes the file when there is one to write and returns `exit_code`; a file that
    // cannot be written is a warning on stderr and leaves the exit code alone.
    int finish(int exit_code);

  private:
    Context& m_ctx;
    std::string m_command;
    std::string m_flag_path;
    bool m_skip = false;
    std::vector<std::pair<std::string, std::int64_t>> m_outcomes;
    std::chrono::steady_clock::time_point m_start;
};

// The text of a metrics file: `previous` is the text of the file the last run wrote (""
// when none); samples of other commands or profiles in it are kept as they were.
struct MetricsInput {
    std::string command;
    std::string profile;
    std::vector<std::pair<std::string, std::int64_t>> outcomes;
    int exit_code = 0;
    double duration_seconds = 0;
    std::int64_t now = 0;
    std::int64_t rate_limit_waits = 0;
    double rate_limit_wait_seconds = 0;
    std::optional<std::int64_t> ledger_review; // rows awaiting review in the ledger now
    std::optional<std::int64_t> ledger_failed;
};
std::string render_metrics(const MetricsInput& input, const std::string& previous);

// True for the exit codes that count as a successful run: 0, and 3 (partial: the run did
// its work; the failed items are counted and alerted on by their own metric).
bool metrics_success(int exit_code);

} // namespace pjats::cli
