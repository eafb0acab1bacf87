// URL parsing and checks used before any request leaves the process: only https, or http to
// the local machine, ever reaches the network.

#include <pjats/http/redact.hpp>
#include <pjats/http/url.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace pjats::http {

namespace {

std::string to_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return out;
}

bool valid_scheme(std::string_view scheme) {
    if (scheme.empty() || std::isalpha(static_cast<unsigned char>(scheme.front())) == 0) {
        return false;
    }
    return std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
    });
}

Error url_error(std::string_view text, std::string_view why) {
    return make_error(ErrorKind::config,
                      "invalid URL '" + redact_url(text) + "': " + std::string(why));
}

// Splits "host", "host:port", "[v6]" or "[v6]:port" into `url`.
Status parse_host_port(std::string_view text, std::string_view authority, Url& url) {
    std::string_view host = authority;
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            return url_error(text, "unterminated IPv6 address");
        }
        host = authority.substr(1, close - 1);
        std::string_view rest = authority.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') {
                return url_error(text, "unexpected text after IPv6 address");
            }
            port = rest.substr(1);
        }
        in6_addr addr{};
        if (inet_pton(AF_INET6, std::string(host).c_str(), &addr) != 1) {
            return url_error(text, "invalid IPv6 address");
        }
    } else {
        const std::size_t colon = authority.rfind(':');
        if (colon != std::string_view::npos) {
            host = authority.substr(0, colon);
            port = authority.substr(colon + 1);
        }
    }
    if (host.empty()) {
        return url_error(text, "missing host");
    }
    const bool bad_host_char = std::any_of(host.begin(), host.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || c == '/' || c == '\\' || c == '@' || c == '[' || c == ']' || c == 0x7f;
    });
    if (bad_host_char) {
        return url_error(text, "invalid character in host");
    }
    url.host = to_lower(host);
    if (!port.empty()) {
        int value = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc{} || end != port.data() + port.size() || value < 1 || value > 65535
            || !std::isdigit(static_cast<unsigned char>(port.front()))) {
            return url_error(text, "invalid port");
        }
        url.port = value;
    }
    return {};
}

} // namespace

Result<Url> parse_url(std::string_view text) {
    const std::size_t sep = text.find("://");
    if (sep == std::string_view::npos) {
        return url_error(text, "missing scheme (expected https://HOST/...)");
    }
    Url url;
    const std::string_view scheme = text.substr(0, sep);
    if (!valid_scheme(scheme)) {
        return url_error(text, "invalid scheme");
    }
    url.scheme = to_lower(scheme);
    std::string_view rest = text.substr(sep + 3);
    const std::size_t authority_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, authority_end);
    rest =
        authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
    const std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
        authority = authority.substr(at + 1); // user info is never used
    }
    const Status host_ok = parse_host_port(text, authority, url);
    if (!host_ok) {
        return host_ok.error();
    }
    rest = rest.substr(0, rest.find('#'));
    if (!rest.empty() && rest.front() == '?') {
        url.path = "/";
    }
    url.path += rest;
    return url;
}

std::string canonical_base_url(std::string_view text) {
    auto url = parse_url(text);
    if (!url) {
        std::string raw(text);
        while (!raw.empty() && raw.back() == '/') {
            raw.pop_back();
        }
        return raw;
    }
    std::string path = url->path.substr(0, url->path.find('?'));
    for (bool changed = true; changed;) {
        changed = false;
        while (!path.empty() && path.back() == '/') {
            path.pop_back();
        }
        for (const std::string_view suffix : {std::string_view("/v1/partner"), std::string_view("/v1")}) {
            if (path.size() >= suffix.size()
                && to_lower(std::string_view(path).substr(path.size() - suffix.size())) == suffix) {
                path.resize(path.size() - suffix.size());
                changed = true;
                break;
            }
        }
    }
    const bool default_port = url->port == 0 || (url->scheme == "https" && url->port == 443)
                              || (url->scheme == "http" && url->port == 80);
    const bool v6 = url->host.find(':') != std::string::npos;
    std::string out = url->scheme + "://" + (v6 ? "[" + url->host + "]" : url->host);
    if (!default_port) {
        out += ":" + std::to_string(url->port);
    }
    return out + path;
}

bool is_loopback_host(std::string_view host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    const std::string lower = to_lower(host);
    if (lower == "localhost" || lower == "localhost.") {
        return true;
    }
    in_addr v4{};
    if (inet_pton(AF_INET, lower.c_str(), &v4) == 1) {
        return (ntohl(v4.s_addr) >> 24U) == 127U;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, lower.c_str(), &v6) == 1) {
        std::array<std::uint8_t, 16> bytes{};
        std::copy(std::begin(v6.s6_addr), std::end(v6.s6_addr), bytes.begin());
        const bool first_ten_zero =
            std::all_of(bytes.begin(), bytes.begin() + 10, [](std::uint8_t b) { return b == 0; });
        if (first_ten_zero && bytes[10] == 0 && bytes[11] == 0 && bytes[12] == 0 && bytes[13] == 0
            && bytes[14] == 0 && bytes[15] == 1) {
            return true; // ::1
        }
        // IPv4-mapped ::ffff:127.x.y.z
        return first_ten_zero && bytes[10] == 0xff && bytes[11] == 0xff && bytes[12] == 127;
    }
    return false;
}

Status check_base_url(std::string_view url, std::string_view what) {
    auto parsed = parse_url(url);
    if (!parsed) {
        return make_error(ErrorKind::config,
                          std::string(what)
                              + " is not usable; https is required: " + parsed.error().message);
    }
    if (parsed->scheme == "https") {
        return {};
    }
    if (parsed->scheme == "http") {
        if (is_loopback_host(parsed->host)) {
            return {};
        }
        return make_error(ErrorKind::config,
                          std::string(what) + " uses plain http:// for '" + parsed->host
                              + "'; https is required (http:// is allowed only for 127.0.0.1, "
                                "::1 and localhost)");
    }
    return make_error(ErrorKind::config,
                      std::string(what) + " uses the unsupported scheme '" + parsed->scheme
                          + "://'; https is required");
}

std::string url_encode(std::string_view text) {
    static constexpr std::string_view k_hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += k_hex[u >> 4U];
            out += k_hex[u & 0x0fU];
        }
    }
    return out;
}

std::string join_url(std::string_view base, std::string_view path) {
    while (!base.empty() && base.back() == '/') {
        base.remove_suffix(1);
    }
    while (!path.empty() && path.front() == '/') {
        path.remove_prefix(1);
    }
    std::string out(base);
    out += '/';
    out += path;
    return out;
}

std::string base64_encode(std::string_view data) {
    static constexpr std::string_view k_alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const auto byte_at = [&data](std::size_t i) -> std::uint32_t {
        return i < data.size() ? static_cast<unsigned char>(data[i]) : 0U;
    };
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < data.size(); i += 3) {
        const std::uint32_t n = (byte_at(i) << 16U) | (byte_at(i + 1) << 8U) | byte_at(i + 2);
        const std::size_t present = std::min<std::size_t>(3, data.size() - i);
        out += k_alphabet[(n >> 18U) & 63U];
        out += k_alphabet[(n >> 12U) & 63U];
        out += present >= 2 ? k_alphabet[(n >> 6U) & 63U] : '=';
        out += present == 3 ? k_alphabet[n & 63U] : '=';
    }
    return out;
}

std::string basic_auth(std::string_view user, std::string_view password) {
    std::string credentials(user);
    credentials += ':';
    credentials += password;
    return "Basic " + base64_encode(credentials);
}

} // namespace pjats::http
