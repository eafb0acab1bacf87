// InterruptScope: SIGINT, SIGTERM and SIGHUP set a flag that runs poll between items.
#include "context.hpp"

#include <csignal>

namespace pjats::cli {

namespace {

using SignalAction = struct sigaction;

std::atomic<bool> g_interrupted{false};
SignalAction g_previous_int{};
SignalAction g_previous_term{};
SignalAction g_previous_hup{};

extern "C" void on_interrupt(int /*signal_number*/) {
    g_interrupted.store(true);
}

} // namespace

InterruptScope::InterruptScope() {
    static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");
    g_interrupted.store(false);
    SignalAction action{};
    action.sa_handler = &on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND; // a second Ctrl-C ends the process the usual way
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
