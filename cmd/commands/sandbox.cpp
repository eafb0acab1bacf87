// `pj-ats sandbox`: runs the companion binary pj-ats-sandbox (strict Greenhouse and Lever
// fakes on 127.0.0.1), found next to this executable or on PATH.
#include "commands/commands.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <ostream>
#include <string>
#include <unistd.h>
#include <vector>

namespace pjats::cli {

namespace {

struct SandboxOptions {
    int port = 0;
    int latency_ms = 0;
    double fail_rate = 0.0;
    std::vector<std::string> extra;
};

std::string companion_path() {
    std::error_code ec;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const std::filesystem::path next_to = self.parent_path() / "pj-ats-sandbox";
        if (std::filesystem::exists(next_to, ec)) {
            return next_to.string();
        }
    }
    return "pj-ats-sandbox";
}

int run_sandbox(const SandboxOptions& opts, Context& ctx) {
    std::vector<std::string> args = {companion_path(),
                                     "--port",
                                     std::to_string(opts.port),
                                     "--latency-ms",
                                     std::to_string(opts.latency_ms),
                                     "--fail-rate",
                                     std::to_string(opts.fail_rate)};
    if (ctx.global.verbose > 0) {
        args.emplace_back("--verbose"); // the access log
    }
    args.insert(args.end(), opts.extra.begin(), opts.extra.end());
    std::vector<char*> argv;
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    ctx.out.flush();
    execvp(argv[0], argv.data());
    return ctx.fail(make_error(ErrorKind::failure, "cannot run pj-ats-sandbox: "
                                                       + std::string(std::strerror(errno))));
}

} // namespace

void add_sandbox(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<SandboxOptions>();
    CLI::App* sub = app.add_subcommand(
        "sandbox", "Serve strict Greenhouse and Lever fakes on 127.0.0.1 for trying pj-ats");
    sub->add_option("--port", opts->port, "Port to listen on (0: any free port)");
    sub->add_option("--latency-ms", opts->latency_ms, "Delay added to every response");
    sub->add_option("--fail-rate", opts->fail_rate, "Probability of a 503 before processing")
        ->check(CLI::Range(0.0, 1.0));
    sub->add_option("args", opts->extra, "More pj-ats-sandbox flags (after --)");
    sub->callback([opts, &ctx] { ctx.exit_code = run_sandbox(*opts, ctx); });
}

} // namespace pjats::cli
