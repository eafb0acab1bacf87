// Run identities and the heartbeat thread.

#include <pjats/ledger/run.hpp>

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
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

// The lease renewals of the runs of this process, on CLOCK_BOOTTIME (ms).
struct Renewals {
    std::int64_t last = 0;        // the latest renewal
    std::int64_t chain_start = 0; // the first renewal with no gap over a third of the lease since
};

std::mutex g_renewals_mutex;
std::map<std::string, Renewals>& renewals() {
    static std::map<std::string, Renewals> by_run; // guarded by g_renewals_mutex
    return by_run;
}

} // namespace

std::int64_t lease_ms() {
    static const std::int64_t lease = [] {
        const char* knob = std::getenv("PJ_ATS_TEST_LEASE_MS");
        const long long value = knob != nullptr ? std::atoll(knob) : 0;
        return value >= 600 && value < k_lease_ms ? static_cast<std::int64_t>(value) : k_lease_ms;
    }();
    return lease;
}

std::int64_t heartbeat_ms() {
    return lease_ms() == k_lease_ms ? k_heartbeat_ms : lease_ms() / 6;
}

std::int64_t boottime_ms() {
    timespec now{};
    ::clock_gettime(CLOCK_BOOTTIME, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000;
}

void note_renewal(const std::string& run_id, std::int64_t boottime) {
    const std::lock_guard<std::mutex> lock(g_renewals_mutex);
    const auto [it, added] = renewals().try_emplace(run_id, Renewals{boottime, boottime});
    Renewals& known = it->second;
    if (!added && boottime > known.last) {
        if (boottime - known.last > lease_ms() / 3) {
            known.chain_start = boottime; // the lease may have lapsed in between
        }
        known.last = boottime;
    }
}

bool lease_held_since(const std::string& run_id, std::int64_t boottime) {
    const std::int64_t now = boottime_ms();
    const std::lock_guard<std::mutex> lock(g_renewals_mutex);
    const auto it = renewals().find(run_id);
    return it != renewals().end() && now - it->second.last <= lease_ms() / 3
           && it->second.chain_start <= boottime;
}

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
    // A pid names a process only within its pid namespace: two containers on one kernel
    // share the boot id but not their pids (both may be "pid 1").
    struct stat ns {};
    run.host += "/pidns:" + (::stat("/proc/self/ns/pid", &ns) == 0
                                 ? std::to_string(static_cast<unsigned long long>(ns.st_ino))
                                 : std::string("unknown-") + random_hex(8));
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
    while (!m_wake.wait_for(lock, std::chrono::milliseconds(heartbeat_ms()),
                            [this] { return m_stop; })) {
        lock.unlock();
        static_cast<void>(m_ledger->heartbeat()); // a missed beat only shortens the lease
        lock.lock();
    }
}

} // namespace pjats::ledger
