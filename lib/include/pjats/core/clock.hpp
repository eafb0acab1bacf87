#pragma once

// The wall clock as the ledger and the reports store it.

#include <chrono>
#include <cstdint>

namespace pjats {

// Unix time in seconds.
inline std::int64_t unix_seconds() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

// Unix time in milliseconds.
inline std::int64_t unix_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace pjats
