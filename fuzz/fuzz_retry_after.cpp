// Fuzzes Retry-After parsing with a fixed clock, plus http::parse_url, redact_text,
// redact_url and redact_header on the same input.

#include <pjats/http/redact.hpp>
#include <pjats/http/retry.hpp>
#include <pjats/http/url.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);

    // 2026-01-01T00:00:00Z
    const std::chrono::system_clock::time_point now{std::chrono::seconds{1'767'225'600}};
    auto delay = pjats::http::parse_retry_after(text, now);
    if (delay && delay->count() < 0) {
        __builtin_trap(); // a delay is never negative
    }

    auto url = pjats::http::parse_url(text);
    if (url) {
        (void)pjats::http::is_loopback_host(url->host);
    }
    (void)pjats::http::check_base_url(text, "fuzz url");
    (void)pjats::http::redact_text(text);
    (void)pjats::http::redact_url(text);
    (void)pjats::http::redact_header("Authorization", text);
    (void)pjats::http::redact_header("On-Behalf-Of", text);
    (void)pjats::http::url_encode(text);
    return 0;
}
