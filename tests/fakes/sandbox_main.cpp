// pj-ats-sandbox: strict Greenhouse and Lever fakes on 127.0.0.1 (docs/sandbox.md).
// Prints the base URL and sample credentials, then serves until SIGINT or SIGTERM.
#include "sandbox_server.hpp"

#include <CLI/CLI.hpp>

#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

namespace {

pjats::fakes::SandboxOptions parse_options(CLI::App& app, int argc, char** argv, int& exit_code) {
    pjats::fakes::SandboxOptions o;
    app.add_option("--port", o.port, "Port on 127.0.0.1 (0: any free port)")
        ->capture_default_str()
        ->check(CLI::Range(0, 65535));
    app.add_option("--latency-ms", o.latency_ms, "Delay added to every API response")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    app.add_option("--fail-rate", o.fail_rate, "Probability of a 503 before processing")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--seed", o.seed, "Seed for --fail-rate and fault probabilities")
        ->capture_default_str();
    app.add_option("--lever-rate", o.lever_rate, "Lever requests/s per credential (0: no limit)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    app.add_option("--lever-burst", o.lever_burst, "Lever burst size")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--greenhouse-rate", o.greenhouse_rate, "Greenhouse requests/s (0: no limit)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    app.add_option("--greenhouse-burst", o.greenhouse_burst, "Greenhouse burst size")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--token-ttl", o.token_ttl, "Lever OAuth access-token lifetime in seconds")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--tls-cert", o.tls_cert, "Serve HTTPS with this PEM certificate")
        ->check(CLI::ExistingFile);
    app.add_option("--tls-key", o.tls_key, "PEM private key for --tls-cert")
        ->check(CLI::ExistingFile);
    app.add_option("--postings", o.postings, "Number of generated Lever postings")
        ->capture_default_str()
        ->check(CLI::Range(2, 100000));
    app.add_flag("--verbose", o.log_requests, "Log each request on stderr (quiet by default)");
    bool quiet = false; // the default since requests are logged only with --verbose
    app.add_flag("--quiet", quiet, "No access log on stderr (the default)");
    try {
        app.parse(argc, argv);
        exit_code = -1;
    } catch (const CLI::ParseError& e) {
        exit_code = app.exit(e);
        if (exit_code != 0) {
            exit_code = 2;
        }
    }
    return o;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"pj-ats-sandbox: strict Greenhouse and Lever fakes on 127.0.0.1"};
    int exit_code = -1;
    const pjats::fakes::SandboxOptions options = parse_options(app, argc, argv, exit_code);
    if (exit_code >= 0) {
        return exit_code;
    }
    // Signals are taken by sigwait() below; the server threads inherit the blocked mask.
    std::signal(SIGINT, SIG_DFL); // a background job may have inherited SIG_IGN
    std::signal(SIGTERM, SIG_DFL);
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    pjats::fakes::SandboxServer server(options);
    std::string error;
    if (!server.start(error)) {
        std::cerr << "pj-ats-sandbox: " << error << "\n";
        return 1;
    }
    std::cout << server.banner() << std::flush;
    int signal = 0;
    sigwait(&signals, &signal);
    server.stop();
    return 0;
}
