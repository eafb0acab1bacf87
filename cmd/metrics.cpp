#include "metrics.hpp"

#include "exit_code.hpp"

#include <pjats/http/rate_limiter.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <ostream>
#include <sstream>

namespace pjats::cli {

namespace {

struct MetricSpec {
    const char* name;
    const char* type;
    const char* help;
};

// Every metric, in the order of the file.
constexpr MetricSpec k_metrics[] = {
    {"pjats_items_total", "counter",
     "Items handled by the runs writing this file, by outcome (send, sync: sent, skipped, "
     "failed, review; track: tracked, changed, failed)."},
    {"pjats_runs_total", "counter", "Runs writing this file, by result (success: exit 0 or 3)."},
    {"pjats_rate_limit_waits_total", "counter",
     "Requests that waited for a rate limit (the pacer, or a 429 answered by waiting)."},
    {"pjats_rate_limit_wait_seconds_total", "counter", "Seconds spent waiting for rate limits."},
    {"pjats_last_run_items", "gauge", "Items handled by the last run, by outcome."},
    {"pjats_last_run_duration_seconds", "gauge", "How long the last run took."},
    {"pjats_last_run_exit_code", "gauge", "The exit code of the last run."},
    {"pjats_last_run_timestamp_seconds", "gauge", "When the last run ended (unix time)."},
    {"pjats_last_success_timestamp_seconds", "gauge",
     "When the last successful run (exit 0 or 3) ended (unix time); 0 before the first."},
    {"pjats_ledger_rows", "gauge",
     "Ledger rows that need a person after the last run, by state (review, failed)."},
};

std::string label_value(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string number(double value) {
    char buffer[64];
    if (value == static_cast<double>(static_cast<std::int64_t>(value))) {
        std::snprintf(buffer, sizeof buffer, "%" PRId64, static_cast<std::int64_t>(value));
    } else {
        std::snprintf(buffer, sizeof buffer, "%.6f", value);
    }
    return buffer;
}

// The previous file's samples: metric name -> [(labels text without braces, value text)].
using Samples = std::map<std::string, std::vector<std::pair<std::string, std::string>>>;

Samples parse_samples(const std::string& text) {
    Samples samples;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        const std::size_t brace = line.find('{');
        const std::size_t space = line.rfind(' ');
        if (space == std::string::npos) {
            continue;
        }
        std::string name;
        std::string labels;
        if (brace != std::string::npos && brace < space) {
            const std::size_t close = line.rfind('}', space);
            if (close == std::string::npos || close < brace) {
                continue;
            }
            name = line.substr(0, brace);
            labels = line.substr(brace + 1, close - brace - 1);
        } else {
            name = line.substr(0, space);
        }
        samples[name].emplace_back(labels, line.substr(space + 1));
    }
    return samples;
}

double previous_value(const Samples& samples, const std::string& name, const std::string& labels) {
    const auto found = samples.find(name);
    if (found == samples.end()) {
        return 0;
    }
    for (const auto& [sample_labels, value] : found->second) {
        if (sample_labels == labels) {
            return std::strtod(value.c_str(), nullptr);
        }
    }
    return 0;
}

} // namespace

void add_metrics_option(CLI::App& command, std::string& path) {
    command
        .add_option("--metrics-file",
                    path,
                    "Write Prometheus text-format metrics of the run to PATH (replaced "
                    "atomically; default: the profile's metrics_file)")
        ->option_text("PATH");
}

bool metrics_success(int exit_code) {
    return exit_code == 0 || exit_code == to_int(ExitCode::partial);
}

std::string render_metrics(const MetricsInput& input, const std::string& previous) {
    const Samples before = parse_samples(previous);
    const std::string run = "command=\"" + label_value(input.command) + "\",profile=\""
                            + label_value(input.profile) + "\"";
    const bool success = metrics_success(input.exit_code);
    // This run's samples by metric: (labels, value).
    std::map<std::string, std::vector<std::pair<std::string, double>>> ours;
    const auto add = [&](const char* name, const std::string& labels, double value) {
        ours[name].emplace_back(labels, value);
    };
    const auto counter = [&](const char* name, const std::string& labels, double increment) {
        add(name, labels, previous_value(before, name, labels) + increment);
    };
    for (const auto& [outcome, count] : input.outcomes) {
        const std::string labels = run + ",outcome=\"" + label_value(outcome) + "\"";
        counter("pjats_items_total", labels, static_cast<double>(count));
        add("pjats_last_run_items", labels, static_cast<double>(count));
    }
    for (const char* result : {"success", "failure"}) {
        const bool this_one = (std::strcmp(result, "success") == 0) == success;
        counter("pjats_runs_total", run + ",result=\"" + result + "\"", this_one ? 1 : 0);
    }
    counter("pjats_rate_limit_waits_total", run, static_cast<double>(input.rate_limit_waits));
    counter("pjats_rate_limit_wait_seconds_total", run, input.rate_limit_wait_seconds);
    add("pjats_last_run_duration_seconds", run, input.duration_seconds);
    add("pjats_last_run_exit_code", run, input.exit_code);
    add("pjats_last_run_timestamp_seconds", run, static_cast<double>(input.now));
    add("pjats_last_success_timestamp_seconds", run,
        success ? static_cast<double>(input.now)
                : previous_value(before, "pjats_last_success_timestamp_seconds", run));
    if (input.ledger_review) {
        add("pjats_ledger_rows", run + ",state=\"review\"", static_cast<double>(*input.ledger_review));
    }
    if (input.ledger_failed) {
        add("pjats_ledger_rows", run + ",state=\"failed\"", static_cast<double>(*input.ledger_failed));
    }

    std::string out;
    for (const MetricSpec& spec : k_metrics) {
        std::vector<std::string> lines;
        // Other commands' and profiles' samples in the same file stay as they were.
        if (const auto kept = before.find(spec.name); kept != before.end()) {
            for (const auto& [labels, value] : kept->second) {
                if (labels.rfind(run, 0) != 0
                    || (labels.size() > run.size() && labels[run.size()] != ',')) {
                    lines.push_back(std::string(spec.name) + "{" + labels + "} " + value);
                }
            }
        }
        if (const auto mine = ours.find(spec.name); mine != ours.end()) {
            for (const auto& [labels, value] : mine->second) {
                lines.push_back(std::string(spec.name) + "{" + labels + "} " + number(value));
            }
        }
        if (lines.empty()) {
            continue;
        }
        out += std::string("# HELP ") + spec.name + " " + spec.help + "\n";
        out += std::string("# TYPE ") + spec.name + " " + spec.type + "\n";
        for (const auto& line : lines) {
            out += line + "\n";
        }
    }
    return out;
}

RunMetrics::RunMetrics(Context& ctx, std::string command, std::string flag_path)
    : m_ctx(ctx),
      m_command(std::move(command)),
      m_flag_path(std::move(flag_path)),
      m_start(std::chrono::steady_clock::now()) {}

void RunMetrics::set_counts(const send::TallyCounts& counts) {
    m_outcomes = {{"sent", counts.sent},
                  {"skipped", counts.skipped},
                  {"failed", counts.failed},
                  {"review", counts.review}};
}

void RunMetrics::set_outcomes(std::vector<std::pair<std::string, std::int64_t>> outcomes) {
    m_outcomes = std::move(outcomes);
}

int RunMetrics::finish(int exit_code) {
    if (m_skip || exit_code == to_int(ExitCode::locked) || exit_code == to_int(ExitCode::usage)) {
        return exit_code;
    }
    std::string path = m_flag_path;
    std::string profile_name = "default";
    if (auto config = m_ctx.load_config()) {
        profile_name = m_ctx.profile_name(*config);
        if (path.empty()) {
            const auto found = config->profiles.find(profile_name);
            if (found != config->profiles.end()) {
                path = found->second.metrics_file;
            }
        }
    }
    if (path.empty()) {
        return exit_code;
    }
    MetricsInput input;
    input.command = m_command;
    input.profile = profile_name;
    input.outcomes = m_outcomes;
    if (input.outcomes.empty() && m_command != "track") {
        input.outcomes = {{"sent", 0}, {"skipped", 0}, {"failed", 0}, {"review", 0}};
    }
    input.exit_code = exit_code;
    input.duration_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    input.now = static_cast<std::int64_t>(std::time(nullptr));
    const http::RateLimitWaits waits = http::rate_limit_waits();
    input.rate_limit_waits = waits.count;
    input.rate_limit_wait_seconds = waits.seconds;
    if (const auto exists = m_ctx.ledger_exists(); exists && *exists) {
        if (auto ledger = m_ctx.open_ledger()) {
            if (const auto counts = (*ledger)->counts()) {
                input.ledger_review = counts->review;
                input.ledger_failed = counts->failed;
            }
        }
    }

    std::string previous;
    {
        std::ifstream in(path, std::ios::binary);
        if (in) {
            std::ostringstream text;
            text << in.rdbuf();
            previous = text.str();
        }
    }
    const std::string text = render_metrics(input, previous);
    // A temporary file in the same folder, renamed over the old one: a reader (the
    // textfile collector) sees the old file or the new one, never half of one.
    const std::size_t slash = path.rfind('/');
    const std::string temp =
        (slash == std::string::npos ? std::string() : path.substr(0, slash + 1))
        + ".pj-ats-metrics.XXXXXX";
    std::vector<char> name(temp.begin(), temp.end());
    name.push_back('\0');
    const int fd = mkstemp(name.data());
    std::string problem;
    if (fd < 0) {
        problem = std::strerror(errno);
    } else {
        const char* data = text.data();
        std::size_t left = text.size();
        while (left > 0 && problem.empty()) {
            const ssize_t wrote = ::write(fd, data, left);
            if (wrote < 0) {
                if (errno != EINTR) {
                    problem = std::strerror(errno);
                }
                continue;
            }
            data += wrote;
            left -= static_cast<std::size_t>(wrote);
        }
        // node_exporter runs as another user; the file holds counts, never a secret.
        if (problem.empty() && ::fchmod(fd, 0644) != 0) {
            problem = std::strerror(errno);
        }
        if (::close(fd) != 0 && problem.empty()) {
            problem = std::strerror(errno);
        }
        if (problem.empty() && std::rename(name.data(), path.c_str()) != 0) {
            problem = std::strerror(errno);
        }
        if (!problem.empty()) {
            ::unlink(name.data());
        }
    }
    if (!problem.empty()) {
        m_ctx.err << "pj-ats: warning: could not write the metrics file " << path << ": "
                  << problem << '\n';
    }
    return exit_code;
}

} // namespace pjats::cli
