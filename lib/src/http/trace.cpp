#include "trace.hpp"

#include <pjats/http/redact.hpp>
#include <pjats/http/secrets.hpp>

#include <utility>

namespace pjats::http::detail {

namespace {

std::string_view strip_line_end(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
        line.remove_suffix(1);
    }
    return line;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const std::string_view line = strip_line_end(text.substr(begin, end - begin));
        if (!line.empty()) {
            fn(line);
        }
        begin = end + 1;
    }
}

} // namespace

std::string redact_request_line(std::string_view line) {
    const std::size_t first = line.find(' ');
    const std::size_t last = line.rfind(' ');
    if (first == std::string_view::npos || last == first) {
        return redact_text(line);
    }
    return std::string(line.substr(0, first + 1))
           + redact_url(line.substr(first + 1, last - first - 1)) + std::string(line.substr(last));
}

std::string redact_header_line(std::string_view line) {
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
        return redact_text(line);
    }
    const std::string_view name = line.substr(0, colon);
    return std::string(name) + ": " + redact_header(name, trim(line.substr(colon + 1)));
}

std::string format_trace_body(std::string_view body) {
    const std::string redacted = redact_text(body);
    std::size_t keep = redacted.size();
    if (keep > k_trace_body_limit) {
        keep = k_trace_body_limit;
        // Never cut inside a UTF-8 sequence: back up over continuation bytes.
        while (keep > 0 && (static_cast<unsigned char>(redacted[keep]) & 0xC0U) == 0x80U) {
            --keep;
        }
    }
    std::string out;
    out.reserve(keep + 32);
    for (std::size_t i = 0; i < keep; ++i) {
        const auto c = static_cast<unsigned char>(redacted[i]);
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += ' ';
        } else if (c < 0x20 || c == 0x7f) {
            out += '.';
        } else {
            out += static_cast<char>(c);
        }
    }
    if (keep < redacted.size()) {
        out += " ... [" + std::to_string(body.size()) + " bytes in total]";
    }
    return out;
}

void Tracer::emit(const std::string& line) const {
    if (*m_sink) {
        (*m_sink)(scrub_secrets(line)); // also header values, which redact_text never sees
    }
}

void Tracer::info(std::string_view text) const {
    if (!enabled()) {
        return;
    }
    for_each_line(text, [this](std::string_view line) { emit("* " + redact_text(line)); });
}

void Tracer::request_headers(std::string_view block) const {
    if (!enabled()) {
        return;
    }
    bool first = true;
    for_each_line(block, [this, &first](std::string_view line) {
        emit("> " + (first ? redact_request_line(line) : redact_header_line(line)));
        first = false;
    });
}

void Tracer::response_header(std::string_view line) const {
    line = strip_line_end(line);
    if (!enabled() || line.empty()) {
        return;
    }
    if (line.substr(0, 5) == "HTTP/") {
        emit("< " + redact_text(line));
    } else {
        emit("< " + redact_header_line(line));
    }
}

void Tracer::body(char direction, std::string_view body) const {
    if (!enabled() || body.empty()) {
        return;
    }
    emit(std::string(1, direction) + " " + format_trace_body(body));
}

} // namespace pjats::http::detail
