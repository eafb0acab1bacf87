// Run identities and the heartbeat thread.

#include <pjats/ledger/run.hpp>

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

namespace pjats::ledger {

namespace {

std::string read_first_line(const char* path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

std::string random_hex(std::size_t bytes) {
    std::random_device device;
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < bytes; ++i) {
        const unsigned value = device() & 0xffU;
        out += k_digits[value >> 4U];
        out += k_digits[value & 0xfU];
    }
    return out;
}

} // namespace

// Field 22 of /proc/PID/stat (start time in clock ticks since boot); "" when unreadable.
std::string process_start_time(std::int64_t pid) {
    const std::string stat = read_first_line(("/proc/" + std::to_string(pid) + "/stat").c_str());
    // The command name (field 2) is in parentheses and may contain spaces: skip past it.
    const std::size_t close = stat.rfind(')');
    if (close == std::string::npos) {
        return {};
    }
    std::istringstream fields(stat.substr(close + 1));
    std::string field;
    for (int index = 3; fields >> field; ++index) {
        if (index == 22) {
            return field;
        }
    }
    return {};
}

RunIdentity this_process() {
    RunIdentity run;
    run.run_id = random_hex(16);
    run.host = read_first_line("/proc/sys/kernel/random/boot_id");
    if (run.host.empty()) {
        char name[256] = {};
        ::gethostname(name, sizeof name - 1);
        run.host = std::string("host:") + name;
    }
    run.pid = static_cast<std::int64_t>(::getpid());
    run.pid_start = process_start_time(run.pid);
    return run;
}

Result<std::unique_ptr<RunLease>> RunLease::start(const LedgerOpener& open,
                                                  const std::string& command) {
    auto ledger = open();
    if (!ledger) {
        return std::move(ledger).error();
    }
    RunIdentity run = this_process();
    PJATS_TRY((*ledger)->begin_run(run, command));
    return std::unique_ptr<RunLease>(new RunLease(std::move(*ledger), std::move(run)));
}

RunLease::RunLease(std::unique_ptr<Ledger> ledger, RunIdentity run)
    : m_ledger(std::move(ledger)),
      m_run(std::move(run)),
      m_thread([this] { renew_until_stopped(); }) {}

RunLease::~RunLease() {
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
    static_cast<void>(m_ledger->end_run());
}

void RunLease::renew_until_stopped() {
    std::unique_lock<std::mutex> lock(m_mutex);
    while (!m_wake.wait_for(lock, std::chrono::milliseconds(k_heartbeat_ms),
                            [this] { return m_stop; })) {
        lock.unlock();
        static_cast<void>(m_ledger->heartbeat()); // a missed beat only shortens the lease
        lock.lock();
    }
}

} // namespace pjats::ledger
