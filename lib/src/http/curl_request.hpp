#pragma once

// One HTTP request on a libcurl easy handle, shared by the single-handle transport
// (curl_transport.cpp) and the multi transport (multi_transport.cpp): the options every
// request gets, the mapping of the finished transfer to a Response or an Error, and the
// redirect policy. Private to lib/src/http.

#include "curl_handles.hpp"
#include "one_shot_body.hpp"
#include "trace.hpp"

#include <pjats/http/http.hpp>

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

// Stops at the first failing option; the CURLcode says which kind of failure it was.
#define PJATS_CURL_TRY(expr)                                                                       \
    do {                                                                                           \
        const CURLcode pjats_curl_code_ = (expr);                                                  \
        if (pjats_curl_code_ != CURLE_OK) {                                                        \
            return pjats_curl_code_;                                                               \
        }                                                                                          \
    } while (false)

namespace pjats::http::detail {

// `options` with the defaults filled in: the User-Agent, and the CA bundle from
// CURL_CA_BUNDLE or SSL_CERT_FILE when the options name none.
TransportOptions resolve_options(TransportOptions options);

// What must hold before a request may reach the network: an allowed URL (https, or http to
// a loopback host) and a well-formed request (see validate_request).
Status check_request(const Request& request);

// State shared with the libcurl callbacks during one transfer.
struct Transfer {
    const Request* request = nullptr;
    const Tracer* tracer = nullptr;
    std::size_t max_body = 0;
    bool too_large = false;
    bool body_traced = false;
    Response response;
};

// One attempt of `request` to `url` on `handle`. prepare() resets the handle (keeping its
// connection and session caches) and sets every option; after the transfer (perform or a
// multi handle) finish() maps the result. A non-idempotent request's body (plain or
// multipart) goes through one-shot readers (one_shot_body.hpp), so libcurl never re-sends
// it on its own; such a refused re-send finishes as a temporary Error with
// outcome_unknown. The handle points into this object between the
// two calls, so it is neither copied nor moved, and must outlive the transfer.
class EasyRequest {
  public:
    EasyRequest(CURL* handle, const TransportOptions& options, const Tracer& tracer);
    EasyRequest(const EasyRequest&) = delete;
    EasyRequest& operator=(const EasyRequest&) = delete;
    ~EasyRequest();

    // A `failure` Error when an option cannot be set (out of memory, unsupported).
    Status prepare(const Request& request, const std::string& url);

    // Maps the transfer's result `code`: a Response for every HTTP status (then `location`
    // is the redirect target, if any), else the Error described in http.hpp. Detaches the
    // header list and the form from the handle.
    Result<Response> finish(CURLcode code, std::string& location);

  private:
    CURLcode set_common_options(const std::string& url);
    CURLcode set_method_and_body();
    CURLcode set_one_shot_body();
    CURLcode set_form();
    CURLcode add_one_shot_part(curl_mimepart* part, const FormPart& form_part);
    void detach();
    void trace_timing(long status) const;

    template <typename T>
    CURLcode set(CURLoption option, T value) {
        return curl().easy_setopt(m_handle, option, value);
    }

    CURL* m_handle;
    const TransportOptions& m_options;
    const Tracer& m_tracer;
    std::string m_url;
    Transfer m_transfer;
    CurlSlist m_headers;
    CurlMime m_mime;
    SendGate m_gate;
    MemoryBody m_body;
    std::vector<std::unique_ptr<MemoryBody>> m_part_values; // stable addresses for libcurl
    std::vector<std::unique_ptr<FileBody>> m_part_files;
    std::array<char, CURL_ERROR_SIZE> m_error_buffer{};
};

// The error for a transport whose libcurl handle (`what`, e.g. "an easy handle") could not
// be made: libcurl's load error when it is missing, else the failed allocation.
Error no_handle_error(const char* what);

// Performs one attempt to a URL; fills `location` from a redirect response.
using Attempt = std::function<Result<Response>(const std::string& url, std::string& location)>;

// Runs `attempt` for request.url and then for each same-origin redirect (301/302/307/308),
// at most five times; a redirect to another host is refused so credentials never leave.
Result<Response>
follow_redirects(const Request& request, const Tracer& tracer, const Attempt& attempt);

} // namespace pjats::http::detail
