#pragma once

// Formatting of the --verbose trace. Every line passes through the redaction functions
// before it reaches the sink: "> " request line and headers, "< " status line and
// headers, "* " information (timing, retries, redirects), bodies redacted and cut to 2 KB.

#include <pjats/http/http.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace pjats::http::detail {

// Bodies in the trace are cut to this many bytes (after redaction).
inline constexpr std::size_t k_trace_body_limit = 2048;

// "POST /v1/x?token=abc HTTP/1.1" with the target passed through redact_url.
std::string redact_request_line(std::string_view line);

// "Name: value" with the value passed through redact_header; other text through redact_text.
std::string redact_header_line(std::string_view line);

// A body as one printable line: redacted, cut to k_trace_body_limit bytes on a UTF-8
// boundary, line breaks shown as \n, other control bytes as '.'.
std::string format_trace_body(std::string_view body);

class Tracer {
  public:
    explicit Tracer(const TraceSink& sink)
        : m_sink(&sink) {}

    bool enabled() const {
        return static_cast<bool>(*m_sink);
    }

    // "* text", redacted, one line per line of `text`.
    void info(std::string_view text) const;

    // A raw outgoing header block ("GET / HTTP/1.1\r\nHost: ...\r\n\r\n") as "> " lines.
    void request_headers(std::string_view block) const;

    // One incoming header or status line as "< line".
    void response_header(std::string_view line) const;

    // A request ('>') or response ('<') body.
    void body(char direction, std::string_view body) const;

  private:
    void emit(const std::string& line) const;

    const TraceSink* m_sink; // owned by the transport's options
};

} // namespace pjats::http::detail
