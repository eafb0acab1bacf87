// Retry decisions and timing. Pure functions (backoff, Retry-After, classification) are kept
// apart from RetryingTransport so they can be tested from tables.

#include "header_text.hpp"
#include "request_checks.hpp"

#include <pjats/http/rate_limiter.hpp>
#include <pjats/http/retry.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

namespace pjats::http {

namespace {

using namespace std::chrono;

// A Retry-After beyond this is clamped; RetryingTransport then gives up on max_total anyway.
constexpr seconds k_max_retry_after = hours{24};

// All-digit Retry-After values from here on are Unix timestamps (2001-09-09), not
// delta-seconds: no server means "wait 31 years".
constexpr std::uint64_t k_epoch_threshold = 1'000'000'000;

bool all_digits(std::string_view text) {
    return !text.empty()
           && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Digits only, at most `max_len` of them.
std::optional<int> parse_number(std::string_view text, std::size_t min_len, std::size_t max_len) {
    if (text.size() < min_len || text.size() > max_len || !all_digits(text)) {
        return std::nullopt;
    }
    int value = 0;
    for (const char c : text) {
        value = value * 10 + (c - '0');
    }
    return value;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x))
                      == std::tolower(static_cast<unsigned char>(y));
           });
}

int month_number(std::string_view name) {
    static constexpr std::array<std::string_view, 12> k_months = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (std::size_t i = 0; i < k_months.size(); ++i) {
        if (iequals(name, k_months[i])) {
            return static_cast<int>(i) + 1;
        }
    }
    return 0;
}

bool is_day_name(std::string_view name, bool long_form) {
    static constexpr std::array<std::string_view, 7> k_short = {
        "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr std::array<std::string_view, 7> k_long = {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    const auto& names = long_form ? k_long : k_short;
    return std::any_of(
        names.begin(), names.end(), [name](std::string_view n) { return iequals(n, name); });
}

std::vector<std::string_view> split_spaces(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && text[i] == ' ') {
            ++i;
        }
        const std::size_t begin = i;
        while (i < text.size() && text[i] != ' ') {
            ++i;
        }
        if (i > begin) {
            out.push_back(text.substr(begin, i - begin));
        }
    }
    return out;
}

struct DateParts {
    std::optional<int> year;
    int month = 0;
    std::optional<int> day;
    std::string_view time;
};

// Seconds resolution: a system_clock::time_point (nanoseconds) cannot hold year 9999.
std::optional<sys_seconds> to_time_point(const DateParts& parts) {
    if (!parts.year || !parts.day || parts.month == 0 || parts.time.size() != 8
        || parts.time[2] != ':' || parts.time[5] != ':') {
        return std::nullopt;
    }
    const std::optional<int> h = parse_number(parts.time.substr(0, 2), 2, 2);
    const std::optional<int> m = parse_number(parts.time.substr(3, 2), 2, 2);
    const std::optional<int> s = parse_number(parts.time.substr(6, 2), 2, 2);
    if (!h || !m || !s || *h > 23 || *m > 59 || *s > 60) {
        return std::nullopt;
    }
    const year_month_day ymd{year{*parts.year},
                             month{static_cast<unsigned>(parts.month)},
                             day{static_cast<unsigned>(*parts.day)}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return sys_days{ymd} + hours{*h} + minutes{*m} + seconds{*s};
}

// IMF-fixdate, RFC 850 and asctime forms (RFC 9110 section 5.6.7).
std::optional<sys_seconds> parse_http_date(std::string_view text, system_clock::time_point now) {
    const std::vector<std::string_view> t = split_spaces(text);
    DateParts parts;
    const bool first_has_comma = !t.empty() && t[0].size() > 1 && t[0].back() == ',';
    const std::string_view day_name =
        first_has_comma ? t[0].substr(0, t[0].size() - 1) : (t.empty() ? "" : t[0]);
    const auto is_gmt = [](std::string_view zone) { return zone == "GMT" || zone == "UTC"; };
    if (t.size() == 6 && first_has_comma && is_day_name(day_name, false) && is_gmt(t[5])) {
        // Sun, 06 Nov 1994 08:49:37 GMT
        parts = {parse_number(t[3], 4, 4), month_number(t[2]), parse_number(t[1], 1, 2), t[4]};
    } else if (t.size() == 4 && first_has_comma && is_day_name(day_name, true) && is_gmt(t[3])) {
        // Sunday, 06-Nov-94 08:49:37 GMT: a two-digit year more than 50 years ahead is in
        // the previous century.
        const std::string_view d = t[1];
        if (d.size() != 9 || d[2] != '-' || d[6] != '-') {
            return std::nullopt;
        }
        const std::optional<int> yy = parse_number(d.substr(7, 2), 2, 2);
        if (!yy) {
            return std::nullopt;
        }
        const int this_year = static_cast<int>(year_month_day{floor<days>(now)}.year());
        int full = this_year / 100 * 100 + *yy;
        if (full > this_year + 50) {
            full -= 100;
        }
        parts = {full, month_number(d.substr(3, 3)), parse_number(d.substr(0, 2), 2, 2), t[2]};
    } else if (t.size() == 5 && !first_has_comma && is_day_name(day_name, false)) {
        // Sun Nov  6 08:49:37 1994
        parts = {parse_number(t[4], 4, 4), month_number(t[1]), parse_number(t[2], 1, 2), t[3]};
    } else {
        return std::nullopt;
    }
    return to_time_point(parts);
}

std::string describe(const Result<Response>& attempt) {
    if (attempt) {
        return "HTTP " + std::to_string(attempt->status);
    }
    return attempt.error().message;
}

} // namespace

milliseconds
backoff_delay(const RetryPolicy& policy, int retry, const std::function<double()>& uniform01) {
    const double base = std::max<double>(0.0, static_cast<double>(policy.base_delay.count()));
    const double cap = std::max<double>(0.0, static_cast<double>(policy.max_delay.count()));
    // 2^62 times any base already exceeds every sensible cap; ldexp never overflows here.
    const double ceiling = std::min(cap, std::ldexp(base, std::clamp(retry, 0, 62)));
    double u = uniform01 ? uniform01() : 0.0;
    if (!(u >= 0.0)) {
        u = 0.0; // also NaN
    }
    u = std::min(u, 1.0);
    return milliseconds{static_cast<milliseconds::rep>(std::floor(u * ceiling))};
}

namespace {

// The wait from `now` until `when`: 0 when past, clamped to k_max_retry_after.
milliseconds wait_until(sys_seconds when, system_clock::time_point now) {
    const seconds ahead = when - floor<seconds>(now);
    if (ahead <= seconds{0}) {
        return milliseconds{0};
    }
    if (ahead >= k_max_retry_after) {
        return duration_cast<milliseconds>(k_max_retry_after);
    }
    // Within a day of `now`: the nanosecond time_point arithmetic cannot overflow.
    return std::max(milliseconds{0}, duration_cast<milliseconds>(when - now));
}

} // namespace

std::optional<milliseconds> parse_retry_after(std::string_view value,
                                              system_clock::time_point now) {
    value = detail::trim_header_text(value);
    if (all_digits(value)) {
        if (value.size() > 15) { // beyond year 30 000 as a timestamp: far ahead either way
            return duration_cast<milliseconds>(k_max_retry_after);
        }
        std::uint64_t number = 0;
        for (const char c : value) {
            number = number * 10 + static_cast<std::uint64_t>(c - '0');
        }
        if (number >= k_epoch_threshold) {
            return wait_until(sys_seconds{seconds{static_cast<seconds::rep>(number)}}, now);
        }
        return duration_cast<milliseconds>(
            std::min(seconds{static_cast<seconds::rep>(number)}, k_max_retry_after));
    }
    const std::optional<sys_seconds> date = parse_http_date(value, now);
    if (!date) {
        return std::nullopt;
    }
    return wait_until(*date, now);
}

RetryVerdict classify_attempt(const Request& request, const Result<Response>& attempt) {
    if (!attempt) {
        const Error& error = attempt.error();
        // TLS/CA problems, oversize bodies and refused redirects fail the same way again.
        if (error.kind != ErrorKind::temporary) {
            return RetryVerdict::done;
        }
        if (request.is_idempotent() || !error.outcome_unknown) {
            return RetryVerdict::retry;
        }
        return RetryVerdict::give_up_unknown_outcome;
    }
    const long status = attempt->status;
    if (status == 429) {
        return RetryVerdict::retry;
    }
    if (status >= 500 && status <= 599) {
        if (request.is_idempotent() || status == 503) {
            return RetryVerdict::retry;
        }
        return RetryVerdict::give_up_unknown_outcome;
    }
    return RetryVerdict::done;
}

RetryingTransport::RetryingTransport(Transport& inner,
                                     RetryPolicy policy,
                                     Sleeper sleeper,
                                     Clock clock,
                                     std::uint64_t seed,
                                     std::shared_ptr<ServerHold> hold)
    : m_inner(inner),
      m_policy(policy),
      m_sleep(sleeper ? std::move(sleeper)
                      : Sleeper([](milliseconds d) { std::this_thread::sleep_for(d); })),
      m_now(clock ? std::move(clock) : Clock(&steady_clock::now)),
      m_rng(seed),
      m_hold(hold ? std::move(hold) : std::make_shared<ServerHold>()) {}

Result<Response> RetryingTransport::send(const Request& request) {
    const steady_clock::time_point start = m_now();
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    const std::function<double()> draw = [this, &uniform] { return uniform(m_rng); };
    for (int attempt = 1;; ++attempt) {
        if (const std::optional<system_clock::time_point> until = m_hold->held_until(request.url)) {
            return make_error(ErrorKind::temporary,
                              "not sent: " + detail::host_of(request.url)
                                  + " asked to wait until " + format_utc(*until)
                                  + " (retry later)");
        }
        Result<Response> result = m_inner.send(request);
        const RetryVerdict verdict = classify_attempt(request, result);
        if (verdict == RetryVerdict::done) {
            return result;
        }
        if (verdict == RetryVerdict::give_up_unknown_outcome) {
            if (!result) {
                Error error = std::move(result).error();
                error.outcome_unknown = true;
                return error;
            }
            return result; // a 5xx answer to a POST: the caller reports it as unknown
        }
        std::optional<milliseconds> retry_after;
        if (result && (result->status == 429 || result->status == 503)) {
            if (const std::optional<std::string> header = result->header("Retry-After")) {
                retry_after = parse_retry_after(*header, m_hold->now());
            }
        }
        if (retry_after && m_now() - start + *retry_after > m_policy.max_total) {
            // Waiting is beyond the budget, and asking again sooner is what the server
            // asked not to do: report now, and keep every later request away until then.
            m_hold->hold(request.url, m_hold->now() + *retry_after);
            if (m_trace) {
                m_trace("* not retrying " + describe(result) + ": the server asked to wait "
                        + std::to_string(retry_after->count() / 1000)
                        + " s, beyond the retry budget");
            }
            return result;
        }
        if (attempt >= m_policy.max_attempts) {
            return result;
        }
        milliseconds delay = backoff_delay(m_policy, attempt - 1, draw);
        if (retry_after) {
            delay = std::max(delay, *retry_after);
        }
        if (m_now() - start + delay > m_policy.max_total) {
            return result;
        }
        if (m_trace) {
            m_trace("* retrying in " + std::to_string(delay.count()) + " ms after "
                    + describe(result) + " (attempt " + std::to_string(attempt + 1) + " of "
                    + std::to_string(m_policy.max_attempts) + ")");
        }
        if (result && result->status == 429) {
            note_rate_limit_wait(delay);
        }
        m_sleep(delay);
        ++m_retries;
    }
}

} // namespace pjats::http
