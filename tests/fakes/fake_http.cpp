// Small HTTP helpers shared by the fakes.
#include "fake_http.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace pjats::fakes {

namespace {

constexpr std::string_view k_b64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64_value(char c) {
    const std::size_t pos = k_b64.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return lower(a) == lower(b);
}

} // namespace

std::string base64_encode(std::string_view data) {
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        const auto n = (static_cast<unsigned char>(data[i]) << 16)
                       | (static_cast<unsigned char>(data[i + 1]) << 8)
                       | static_cast<unsigned char>(data[i + 2]);
        out += k_b64[(n >> 18) & 63];
        out += k_b64[(n >> 12) & 63];
        out += k_b64[(n >> 6) & 63];
        out += k_b64[n & 63];
    }
    const std::size_t rest = data.size() - i;
    if (rest == 1) {
        const auto n = static_cast<unsigned char>(data[i]) << 16;
        out += k_b64[(n >> 18) & 63];
        out += k_b64[(n >> 12) & 63];
        out += "==";
    } else if (rest == 2) {
        const auto n = (static_cast<unsigned char>(data[i]) << 16)
                       | (static_cast<unsigned char>(data[i + 1]) << 8);
        out += k_b64[(n >> 18) & 63];
        out += k_b64[(n >> 12) & 63];
        out += k_b64[(n >> 6) & 63];
        out += '=';
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::size_t padding = 0;
    if (text.back() == '=') {
        padding = text[text.size() - 2] == '=' ? 2 : 1;
    }
    std::string out;
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        std::array<int, 4> v{};
        for (std::size_t j = 0; j < 4; ++j) {
            const bool pad_slot = last && j >= 4 - padding;
            v[j] = pad_slot ? (text[i + j] == '=' ? 0 : -1) : b64_value(text[i + j]);
            if (v[j] < 0) {
                return std::nullopt;
            }
        }
        const int n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
        out += static_cast<char>((n >> 16) & 0xff);
        if (!(last && padding == 2)) {
            out += static_cast<char>((n >> 8) & 0xff);
        }
        if (!(last && padding >= 1)) {
            out += static_cast<char>(n & 0xff);
        }
    }
    // Canonical form only: re-encoding must give the same text (no stray low bits).
    if (base64_encode(out) != text) {
        return std::nullopt;
    }
    return out;
}

std::string base64url_encode(std::string_view data) {
    std::string out = base64_encode(data);
    while (!out.empty() && out.back() == '=') {
        out.pop_back();
    }
    for (char& c : out) {
        if (c == '+') {
            c = '-';
        } else if (c == '/') {
            c = '_';
        }
    }
    return out;
}

bool is_basic_auth_for(std::string_view header, std::string_view key) {
    constexpr std::string_view k_scheme = "basic ";
    if (header.size() <= k_scheme.size() || !iequals(header.substr(0, 6), k_scheme)) {
        return false;
    }
    const std::optional<std::string> decoded = base64_decode(header.substr(k_scheme.size()));
    return decoded && *decoded == std::string(key) + ":";
}

std::optional<std::string> basic_auth_user(std::string_view header) {
    constexpr std::string_view k_scheme = "basic ";
    if (header.size() <= k_scheme.size() || !iequals(header.substr(0, 6), k_scheme)) {
        return std::nullopt;
    }
    std::optional<std::string> decoded = base64_decode(header.substr(k_scheme.size()));
    if (decoded) {
        decoded->erase(std::min(decoded->find(':'), decoded->size()));
    }
    return decoded;
}

std::optional<std::string> bearer_token(std::string_view header) {
    constexpr std::string_view k_scheme = "bearer ";
    if (header.size() <= k_scheme.size() || !iequals(header.substr(0, 7), k_scheme)) {
        return std::nullopt;
    }
    return std::string(header.substr(k_scheme.size()));
}

std::string media_type(std::string_view content_type) {
    const std::size_t semi = content_type.find(';');
    std::string_view type = content_type.substr(0, semi);
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) {
        type.remove_suffix(1);
    }
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) {
        type.remove_prefix(1);
    }
    return lower(type);
}

bool has_media_type(const httplib::Request& req, std::string_view mime) {
    return req.has_header("Content-Type")
           && media_type(req.get_header_value("Content-Type")) == mime;
}

std::string url_encode(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            std::array<char, 4> buf{};
            std::snprintf(buf.data(), buf.size(), "%%%02X", u);
            out += buf.data();
        }
    }
    return out;
}

std::optional<std::string> url_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size()) {
            return std::nullopt;
        }
        unsigned value = 0;
        const auto* begin = text.data() + i + 1;
        const auto [ptr, ec] = std::from_chars(begin, begin + 2, value, 16);
        if (ec != std::errc() || ptr != begin + 2) {
            return std::nullopt;
        }
        out += static_cast<char>(value);
        i += 2;
    }
    return out;
}

httplib::Params parse_form(const std::string& body) {
    httplib::Params params;
    std::size_t start = 0;
    while (start <= body.size()) {
        std::size_t end = body.find('&', start);
        if (end == std::string::npos) {
            end = body.size();
        }
        const std::string pair = body.substr(start, end - start);
        if (!pair.empty()) {
            const std::size_t eq = pair.find('=');
            const std::string key = pair.substr(0, eq);
            const std::string value = eq == std::string::npos ? "" : pair.substr(eq + 1);
            params.emplace(httplib::detail::decode_url(key, true),
                           httplib::detail::decode_url(value, true));
        }
        start = end + 1;
    }
    return params;
}

std::string random_hex(std::size_t n) {
    const std::string bytes = random_bytes(n);
    std::string out;
    for (const char c : bytes) {
        std::array<char, 3> buf{};
        std::snprintf(buf.data(), buf.size(), "%02x", static_cast<unsigned char>(c));
        out += buf.data();
    }
    return out;
}

std::string random_base64url(std::size_t n) {
    return base64url_encode(random_bytes(n));
}

std::string random_uuid() {
    std::string hex = random_hex(16);
    hex[12] = '4';
    hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-"
           + hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string stable_uuid(std::uint64_t seed) {
    // splitmix64 twice gives 128 well-mixed bits from the seed.
    auto mix = [](std::uint64_t x) {
        x += 0x9e3779b97f4a7c15ULL;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        return x ^ (x >> 31);
    };
    const std::uint64_t a = mix(seed);
    const std::uint64_t b = mix(a ^ seed);
    std::array<char, 40> buf{};
    std::snprintf(buf.data(),
                  buf.size(),
                  "%08x-%04x-4%03x-%04x-%012llx",
                  static_cast<unsigned>(a >> 32),
                  static_cast<unsigned>((a >> 16) & 0xffff),
                  static_cast<unsigned>(a & 0xfff),
                  static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                  static_cast<unsigned long long>(b & 0xffffffffffffULL));
    return buf.data();
}

std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::optional<std::int64_t> parse_int(std::string_view text) {
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

} // namespace pjats::fakes
