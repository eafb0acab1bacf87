// Per-request libcurl setup and result mapping shared by both transports.

#include "curl_request.hpp"

#include "header_text.hpp"
#include "request_checks.hpp"

#include <pjats/http/redact.hpp>
#include <pjats/http/url.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace pjats::http::detail {

namespace {

constexpr int k_max_redirects = 5;

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    if (n > transfer->max_body - transfer->response.body.size()) {
        transfer->too_large = true;
        return 0; // anything but `n` aborts the transfer with CURLE_WRITE_ERROR
    }
    transfer->response.body.append(data, n);
    return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    const std::string_view line(data, n);
    std::vector<Header>& headers = transfer->response.headers;
    if (line.substr(0, 5) == "HTTP/") {
        headers.clear(); // a new response (after 100 Continue, or a proxy's CONNECT reply)
    } else if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
        if (!headers.empty()) {
            headers.back().value +=
                " " + std::string(trim_header_text(line)); // obsolete line folding
        }
    } else if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
        headers.push_back({std::string(trim_header_text(line.substr(0, colon))),
                           std::string(trim_header_text(line.substr(colon + 1)))});
    }
    return n;
}

int on_debug(CURL* /*handle*/, curl_infotype type, char* data, std::size_t size, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    const std::string_view text(data, size);
    const Tracer& tracer = *transfer->tracer;
    switch (type) {
    case CURLINFO_TEXT:
        tracer.info(text);
        break;
    case CURLINFO_HEADER_OUT:
        tracer.request_headers(text);
        break;
    case CURLINFO_HEADER_IN:
        tracer.response_header(text);
        break;
    case CURLINFO_DATA_OUT:
        // Trace the whole body once from the request, not libcurl's chunks of it.
        if (!transfer->body_traced) {
            transfer->body_traced = true;
            const Request& request = *transfer->request;
            if (request.form.empty()) {
                tracer.body('>', request.body);
            } else {
                tracer.info(describe_form(request.form));
            }
        }
        break;
    default:
        break; // response bodies are traced after the transfer; TLS records never
    }
    return 0;
}

Error transfer_error(CURLcode code,
                     const char* error_buffer,
                     const Request& request,
                     std::string_view url,
                     bool request_sent) {
    const std::string reason =
        redact_text(error_buffer[0] != '\0' ? error_buffer : curl().easy_strerror(code));
    const std::string host = host_of(url);
    Error error;
    error.kind = ErrorKind::temporary;
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        error.message = "cannot connect to " + host + ": " + reason;
        error.outcome_unknown = false;
        return error;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
        error.kind = ErrorKind::config;
        error.message = "TLS verification of " + host + " failed: " + reason
                        + " (for a private CA set ca_bundle in the profile, or CURL_CA_BUNDLE "
                          "or SSL_CERT_FILE)";
        error.outcome_unknown = false;
        return error;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        error.kind = ErrorKind::config;
        error.message = "invalid request URL for " + host + ": " + reason;
        return error;
    default:
        error.message = "request to " + host + " failed: " + reason;
        // Nothing of the request left the process (e.g. a connect timeout): nothing can
        // have been acted on. Otherwise only a non-idempotent request has an open outcome.
        error.outcome_unknown = request_sent && !request.is_idempotent();
        return error;
    }
}

} // namespace

TransportOptions resolve_options(TransportOptions options) {
    if (options.user_agent.empty()) {
        options.user_agent = default_user_agent();
    }
    if (options.ca_bundle.empty()) {
        for (const char* name : {"CURL_CA_BUNDLE", "SSL_CERT_FILE"}) {
            const char* value = std::getenv(name);
            if (value != nullptr && value[0] != '\0') {
                options.ca_bundle = value;
                break;
            }
        }
    }
    return options;
}

Status check_request(const Request& request) {
    PJATS_TRY(check_base_url(request.url, "request URL"));
    return validate_request(request);
}

Result<Response>
follow_redirects(const Request& request, const Tracer& tracer, const Attempt& attempt) {
    std::string url = request.url;
    for (int redirects = 0;; ++redirects) {
        std::string location;
        Result<Response> result = attempt(url, location);
        if (!result || !is_redirect(result->status) || location.empty()) {
            return result;
        }
        if (!same_origin(url, location)) {
            return make_error(ErrorKind::failure,
                              "the server redirected to another host (" + host_of(location)
                                  + "); credentials were not forwarded");
        }
        if (redirects >= k_max_redirects) {
            return make_error(ErrorKind::failure,
                              "too many redirects (more than " + std::to_string(k_max_redirects)
                                  + ") from " + host_of(url));
        }
        tracer.info("following redirect to " + redact_url(location));
        url = std::move(location);
    }
}

EasyRequest::EasyRequest(CURL* handle, const TransportOptions& options, const Tracer& tracer)
    : m_handle(handle),
      m_options(options),
      m_tracer(tracer) {}

EasyRequest::~EasyRequest() {
    detach();
}

void EasyRequest::detach() {
    // The list and the mime die with this object; the handle must not point at them.
    // Clearing these options cannot fail.
    static_cast<void>(set(CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr)));
    static_cast<void>(set(CURLOPT_MIMEPOST, static_cast<curl_mime*>(nullptr)));
}


CURLcode EasyRequest::set_common_options(const std::string& url) {
    PJATS_CURL_TRY(set(CURLOPT_ERRORBUFFER, m_error_buffer.data()));
    PJATS_CURL_TRY(set(CURLOPT_URL, url.c_str()));
    PJATS_CURL_TRY(set(CURLOPT_PROTOCOLS_STR, "http,https"));
    PJATS_CURL_TRY(set(CURLOPT_NOSIGNAL, 1L));
    PJATS_CURL_TRY(set(CURLOPT_FOLLOWLOCATION, 0L));
    PJATS_CURL_TRY(set(CURLOPT_USERAGENT, m_options.user_agent.c_str()));
    PJATS_CURL_TRY(
        set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.connect_timeout.count())));
    PJATS_CURL_TRY(set(CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.total_timeout.count())));
    PJATS_CURL_TRY(set(CURLOPT_SSL_VERIFYPEER, 1L));
    PJATS_CURL_TRY(set(CURLOPT_SSL_VERIFYHOST, 2L));
    if (!m_options.ca_bundle.empty()) {
        PJATS_CURL_TRY(set(CURLOPT_CAINFO, m_options.ca_bundle.c_str()));
    }
    PJATS_CURL_TRY(set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS)));
    PJATS_CURL_TRY(set(CURLOPT_ACCEPT_ENCODING, "")); // every encoding libcurl can decode
    PJATS_CURL_TRY(set(CURLOPT_WRITEFUNCTION, &on_body));
    PJATS_CURL_TRY(set(CURLOPT_WRITEDATA, &m_transfer));
    PJATS_CURL_TRY(set(CURLOPT_HEADERFUNCTION, &on_header));
    PJATS_CURL_TRY(set(CURLOPT_HEADERDATA, &m_transfer));
    if (m_tracer.enabled()) {
        PJATS_CURL_TRY(set(CURLOPT_DEBUGFUNCTION, &on_debug));
        PJATS_CURL_TRY(set(CURLOPT_DEBUGDATA, &m_transfer));
        PJATS_CURL_TRY(set(CURLOPT_VERBOSE, 1L));
    }
    return CURLE_OK;
}

Status EasyRequest::prepare(const Request& request, const std::string& url) {
    curl().easy_reset(m_handle); // keeps live connections and the DNS and TLS session caches
    m_headers.reset();
    m_mime.reset();
    m_part_values.clear();
    m_part_files.clear();
    m_gate = SendGate{};
    m_body = MemoryBody{};
    m_error_buffer[0] = '\0';
    m_url = url;
    m_transfer = Transfer{};
    m_transfer.request = &request;
    m_transfer.tracer = &m_tracer;
    m_transfer.max_body = m_options.max_response_bytes;

    bool have_expect = false;
    bool headers_ok = true;
    for (const Header& h : request.headers) {
        // "Name;" is libcurl's way to send a header with an empty value.
        const std::string line = h.value.empty() ? h.name + ";" : h.name + ": " + h.value;
        headers_ok = headers_ok && slist_append(m_headers, line.c_str());
        have_expect = have_expect || iequals(h.name, "Expect");
    }
    if (!have_expect) {
        // No 100-continue round trip: API bodies are small and the wait costs latency.
        headers_ok = headers_ok && slist_append(m_headers, "Expect:");
    }
    CURLcode code = headers_ok ? CURLE_OK : CURLE_OUT_OF_MEMORY;
    if (code == CURLE_OK) {
        code = set_common_options(m_url);
    }
    if (code == CURLE_OK) {
        code = set_method_and_body();
    }
    if (code == CURLE_OK) {
        code = set(CURLOPT_HTTPHEADER, m_headers.get());
    }
    if (code != CURLE_OK) {
        return make_error(ErrorKind::failure,
                          std::string("cannot prepare the HTTP request: ")
                              + curl().easy_strerror(code));
    }
    return {};
}

Result<Response> EasyRequest::finish(CURLcode code, std::string& location) {
    detach();
    const Request& request = *m_transfer.request;
    if (code != CURLE_OK) {
        if (code == CURLE_WRITE_ERROR && m_transfer.too_large) {
            Error error = make_error(ErrorKind::failure,
                                     "response larger than "
                                         + std::to_string(m_options.max_response_bytes) + " bytes");
            error.outcome_unknown = !request.is_idempotent();
            long status = 0; // an answer began: the server has acted, if it was going to
            curl().easy_getinfo(m_handle, CURLINFO_RESPONSE_CODE, &status);
            error.http_status = static_cast<int>(status);
            return error;
        }
        if (code == CURLE_SEND_FAIL_REWIND || m_gate.refused()) {
            Error error = make_error(ErrorKind::temporary,
                                     "the connection to " + host_of(m_url)
                                         + " closed before any response; the request may "
                                           "have been processed");
            error.outcome_unknown = true;
            m_tracer.info(error.message);
            return error;
        }
        long request_size = 0;
        curl().easy_getinfo(m_handle, CURLINFO_REQUEST_SIZE, &request_size);
        Error error = transfer_error(code, m_error_buffer.data(), request, m_url, request_size > 0);
        m_tracer.info(error.message);
        return error;
    }
    long status = 0;
    curl().easy_getinfo(m_handle, CURLINFO_RESPONSE_CODE, &status);
    char* redirect = nullptr;
    if (curl().easy_getinfo(m_handle, CURLINFO_REDIRECT_URL, &redirect) == CURLE_OK
        && redirect != nullptr) {
        location = redirect;
    }
    m_transfer.response.status = status;
    if (m_tracer.enabled()) {
        m_tracer.body('<', m_transfer.request->trace_response_body
                               ? m_transfer.response.body
                               : "[" + std::to_string(m_transfer.response.body.size())
                                     + " bytes, not shown]");
        trace_timing(status);
    }
    return std::move(m_transfer.response);
}

void EasyRequest::trace_timing(long status) const {
    curl_off_t total_us = 0;
    curl_off_t connect_us = 0;
    long new_connections = 0;
    curl().easy_getinfo(m_handle, CURLINFO_TOTAL_TIME_T, &total_us);
    curl().easy_getinfo(m_handle, CURLINFO_CONNECT_TIME_T, &connect_us);
    curl().easy_getinfo(m_handle, CURLINFO_NUM_CONNECTS, &new_connections);
    m_tracer.info("HTTP " + std::to_string(status) + " in " + std::to_string(total_us / 1000)
                  + " ms ("
                  + (new_connections > 0
                         ? "new connection, connect " + std::to_string(connect_us / 1000) + " ms"
                         : std::string("reused connection"))
                  + ")");
}

Error no_handle_error(const char* what) {
    if (load_curl() == nullptr) {
        return make_error(ErrorKind::failure, curl_load_error());
    }
    return make_error(ErrorKind::failure, std::string("libcurl could not create ") + what);
}

} // namespace pjats::http::detail
