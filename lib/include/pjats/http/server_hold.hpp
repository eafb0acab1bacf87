#pragma once

// "Not before" times per origin: after a server answers 429/503 with a Retry-After longer
// than the retry budget, the retrying transports (retry.hpp, multi_transport.hpp) stop
// asking that origin until the time it named, instead of hammering it.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace pjats::http {

// Thread-safe; one instance may be shared by every transport of a run.
class ServerHold {
  public:
    using WallClock = std::function<std::chrono::system_clock::time_point()>;

    // `clock` (default: the system clock) is the wall clock used for Retry-After dates
    // and for the holds.
    explicit ServerHold(WallClock clock = {});

    std::chrono::system_clock::time_point now() const;

    // No request to the origin of `url` before `until` (a later hold wins).
    void hold(std::string_view url, std::chrono::system_clock::time_point until);

    // The time before which the origin of `url` must not be asked, while that is still
    // ahead of now(); nullopt otherwise.
    std::optional<std::chrono::system_clock::time_point> held_until(std::string_view url) const;

  private:
    WallClock m_clock;
    mutable std::mutex m_mutex;
    std::map<std::string, std::chrono::system_clock::time_point> m_until; // by origin
};

// "scheme://host:port" of `url` (the port explicit, default by scheme); `url` itself when
// it does not parse.
std::string origin_of(std::string_view url);

// `time` as "2026-01-31 12:00:00 UTC".
std::string format_utc(std::chrono::system_clock::time_point time);

} // namespace pjats::http
