// "Not before" times per origin.
#include <pjats/http/server_hold.hpp>

#include <pjats/http/url.hpp>

#include <algorithm>
#include <cstdio>
#include <utility>

namespace pjats::http {

using namespace std::chrono;

ServerHold::ServerHold(WallClock clock)
    : m_clock(clock ? std::move(clock) : WallClock(&system_clock::now)) {}

system_clock::time_point ServerHold::now() const {
    return m_clock();
}

void ServerHold::hold(std::string_view url, system_clock::time_point until) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    system_clock::time_point& slot = m_until[origin_of(url)];
    slot = std::max(slot, until);
}

std::optional<system_clock::time_point> ServerHold::held_until(std::string_view url) const {
    const std::string origin = origin_of(url);
    const system_clock::time_point current = now();
    const std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_until.find(origin);
    if (it == m_until.end() || it->second <= current) {
        return std::nullopt;
    }
    return it->second;
}

std::string origin_of(std::string_view url) {
    const Result<Url> parsed = parse_url(url);
    if (!parsed) {
        return std::string(url);
    }
    const int port = parsed->port != 0 ? parsed->port : (parsed->scheme == "https" ? 443 : 80);
    return parsed->scheme + "://" + parsed->host + ":" + std::to_string(port);
}

std::string format_utc(system_clock::time_point time) {
    const sys_seconds secs = floor<seconds>(time);
    const sys_days day = floor<days>(secs);
    const year_month_day ymd{day};
    const hh_mm_ss<seconds> hms{secs - day};
    char text[40];
    std::snprintf(text,
                  sizeof text,
                  "%04d-%02u-%02u %02ld:%02ld:%02ld UTC",
                  static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()),
                  static_cast<long>(hms.hours().count()),
                  static_cast<long>(hms.minutes().count()),
                  static_cast<long>(hms.seconds().count()));
    return text;
}

} // namespace pjats::http
