// InterruptScope: SIGINT, SIGTERM and SIGHUP set a flag that runs poll between items; a
// second one ends the process (on_second_interrupt).
#include "context.hpp"

#include <unistd.h>

#include <csignal>
#include <cstring>

namespace pjats::cli {

namespace {

using SignalAction = struct sigaction;

std::atomic<bool> g_interrupted{false};
SignalAction g_previous_int{};
SignalAction g_previous_term{};
SignalAction g_previous_hup{};

bool g_stderr_terminal = false;

// The second signal: end the line a progress or item line may have left open, say so, and
// end the process the usual way (killed by the signal). Async-signal-safe calls only.
extern "C" void on_second_interrupt(int signal_number) {
    static const char k_message[] =
        "\npj-ats: interrupted again: stopping now; a send cut off here is found again by the "
        "next run (`pj-ats status` shows it)\n";
    const char* text = g_stderr_terminal ? k_message : k_message + 1;
    const ssize_t ignored = write(STDERR_FILENO, text, std::strlen(text));
    (void)ignored;
    std::signal(signal_number, SIG_DFL);
    raise(signal_number);
}

extern "C" void on_interrupt(int /*signal_number*/) {
    g_interrupted.store(true);
    SignalAction again{};
    again.sa_handler = &on_second_interrupt;
    sigemptyset(&again.sa_mask);
    sigaction(SIGINT, &again, nullptr);
    sigaction(SIGTERM, &again, nullptr);
    sigaction(SIGHUP, &again, nullptr);
}

} // namespace

InterruptScope::InterruptScope() {
    static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");
    g_interrupted.store(false);
    g_stderr_terminal = isatty(STDERR_FILENO) == 1;
    SignalAction action{};
    action.sa_handler = &on_interrupt;
    sigemptyset(&action.sa_mask);
    // A second signal ends the process the usual way, after a newline and a word.
    sigaction(SIGINT, &action, &g_previous_int);
    sigaction(SIGTERM, &action, &g_previous_term);
    sigaction(SIGHUP, &action, &g_previous_hup);
}

InterruptScope::~InterruptScope() {
    sigaction(SIGINT, &g_previous_int, nullptr);
    sigaction(SIGTERM, &g_previous_term, nullptr);
    sigaction(SIGHUP, &g_previous_hup, nullptr);
}

const std::atomic<bool>& InterruptScope::flag() const {
    return g_interrupted;
}

} // namespace pjats::cli
