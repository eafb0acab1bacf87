#pragma once

#include <pjats/core/result.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pjats::http {

struct Header {
    std::string name;
    std::string value;
};

// One part of a multipart/form-data body. Either `value` (a plain field) or `file_path`
// (file content streamed from disk, sent with `filename` and `content_type`).
struct FormPart {
    std::string name;
    std::string value;
    std::string file_path;
    std::string filename;
    std::string content_type;
};

struct Request {
    std::string method = "GET";
    std::string url;
    std::vector<Header> headers;
    std::string body;            // sent as-is when `form` is empty
    std::vector<FormPart> form;  // non-empty: multipart/form-data, `body` ignored
    // Set by callers when re-sending cannot create a duplicate. GET/HEAD/PUT/DELETE are
    // always treated as idempotent; a POST is idempotent only when this is true.
    bool idempotent = false;
    // false: the -v trace shows the response body's size only (a downloaded résumé: binary,
    // and the candidate's own document).
    bool trace_response_body = true;

    bool is_idempotent() const {
        return idempotent || method == "GET" || method == "HEAD" || method == "PUT"
               || method == "DELETE";
    }
};

struct Response {
    long status = 0;
    std::vector<Header> headers; // names as received; look up with header()
    std::string body;

    // Case-insensitive lookup of the first header named `name`.
    std::optional<std::string> header(std::string_view name) const;

    bool ok() const { return status >= 200 && status < 300; }
};

// The seam between API clients and the network. Implementations return a Response for
// every HTTP status (4xx/5xx included) and an Error only when no HTTP response was
// received (DNS, connect, TLS, timeout, reset, oversize body). Such errors have kind
// `temporary` (or `config` for TLS/CA problems) and `outcome_unknown` set when the
// request body may already have been delivered.
class Transport {
  public:
    virtual ~Transport() = default;
    virtual Result<Response> send(const Request& request) = 0;
};

// Receives one line of the --verbose trace at a time; lines are already redacted.
using TraceSink = std::function<void(std::string_view line)>;

struct TransportOptions {
    std::string user_agent;       // defaults to "pj-ats/VERSION"
    std::string ca_bundle;        // PEM file; empty: CURL_CA_BUNDLE, SSL_CERT_FILE, system
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds total_timeout{60'000};
    // Larger bodies fail rather than grow without bound.
    std::size_t max_response_bytes = std::size_t{32} * 1024 * 1024;
    TraceSink trace;              // empty: no trace
};

// The libcurl implementation: one easy handle reused across calls (keep-alive, HTTP/2 when
// offered), TLS verification always on, redirects never followed across hosts with
// credentials, plain http:// refused for non-loopback hosts.
std::unique_ptr<Transport> make_curl_transport(TransportOptions options);

// RAII guard for curl_global_init/cleanup. Optional: the transport factories initialise
// libcurl once on first use; a program may still hold one for explicit control.
class GlobalInit {
  public:
    GlobalInit();
    ~GlobalInit();
    GlobalInit(const GlobalInit&) = delete;
    GlobalInit& operator=(const GlobalInit&) = delete;
};

// "pj-ats/VERSION".
std::string default_user_agent();

} // namespace pjats::http
