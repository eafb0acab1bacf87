// The libcurl Transport, and the only translation unit that includes <curl/curl.h>.
//
// One easy handle is reused for every request: curl_easy_reset clears the options but keeps
// the connection cache, so consecutive calls to one host share a connection (keep-alive or
// HTTP/2). Redirects are followed here rather than by libcurl so that a request carrying
// credentials is never re-sent to another host.

#include "curl_handles.hpp"
#include "request_checks.hpp"
#include "trace.hpp"

#include <pjats/http/http.hpp>
#include <pjats/http/redact.hpp>
#include <pjats/http/url.hpp>

#include <array>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace pjats::http {

namespace {

using detail::CurlEasy;
using detail::CurlMime;
using detail::CurlSlist;
using detail::describe_form;
using detail::host_of;
using detail::iequals;
using detail::is_redirect;
using detail::same_origin;
using detail::Tracer;
using detail::validate_request;

constexpr int k_max_redirects = 5;

// State shared with the libcurl callbacks during one curl_easy_perform.
struct Transfer {
    const Request* request = nullptr;
    const Tracer* tracer = nullptr;
    std::size_t max_body = 0;
    bool too_large = false;
    bool body_traced = false;
    Response response;
};

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

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty()
           && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'
               || text.back() == '\n')) {
        text.remove_suffix(1);
    }
    return text;
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
            headers.back().value += " " + std::string(trim(line)); // obsolete line folding
        }
    } else if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
        headers.push_back(
            {std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
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
        redact_text(error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code));
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

class CurlTransport final : public Transport {
  public:
    explicit CurlTransport(TransportOptions options)
        : m_options(std::move(options)),
          m_tracer(m_options.trace),
          m_easy(curl_easy_init()) {
        if (m_options.user_agent.empty()) {
            m_options.user_agent = default_user_agent();
        }
        if (m_options.ca_bundle.empty()) {
            for (const char* name : {"CURL_CA_BUNDLE", "SSL_CERT_FILE"}) {
                const char* value = std::getenv(name);
                if (value != nullptr && value[0] != '\0') {
                    m_options.ca_bundle = value;
                    break;
                }
            }
        }
    }

    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;
    CurlTransport(CurlTransport&&) = delete;
    CurlTransport& operator=(CurlTransport&&) = delete;
    ~CurlTransport() override = default;

    Result<Response> send(const Request& request) override {
        PJATS_TRY(check_base_url(request.url, "request URL"));
        PJATS_TRY(validate_request(request));
        if (!m_easy) {
            return make_error(ErrorKind::failure, "libcurl could not create a handle");
        }
        std::string url = request.url;
        for (int redirects = 0;; ++redirects) {
            std::string location;
            Result<Response> result = perform(request, url, location);
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
            m_tracer.info("following redirect to " + redact_url(location));
            url = std::move(location);
        }
    }

  private:
    Result<Response> perform(const Request& request, const std::string& url, std::string& location);
    CURLcode set_common_options(Transfer& transfer, const std::string& url);
    CURLcode set_method_and_body(const Request& request, CurlMime& mime);
    CURLcode set_form(const Request& request, CurlMime& mime);
    void trace_timing(long status) const;

    template <typename T>
    CURLcode set(CURLoption option, T value) {
        return curl_easy_setopt(m_easy.get(), option, value);
    }

    TransportOptions m_options;
    Tracer m_tracer;
    std::array<char, CURL_ERROR_SIZE> m_error_buffer{};
    CurlEasy m_easy;
};

// Stops at the first failing option; the CURLcode says which kind of failure it was.
#define PJATS_CURL_TRY(expr)                                                                       \
    do {                                                                                           \
        const CURLcode pjats_curl_code_ = (expr);                                                  \
        if (pjats_curl_code_ != CURLE_OK) {                                                        \
            return pjats_curl_code_;                                                               \
        }                                                                                          \
    } while (false)

CURLcode CurlTransport::set_common_options(Transfer& transfer, const std::string& url) {
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
    PJATS_CURL_TRY(set(CURLOPT_WRITEDATA, &transfer));
    PJATS_CURL_TRY(set(CURLOPT_HEADERFUNCTION, &on_header));
    PJATS_CURL_TRY(set(CURLOPT_HEADERDATA, &transfer));
    if (m_tracer.enabled()) {
        PJATS_CURL_TRY(set(CURLOPT_DEBUGFUNCTION, &on_debug));
        PJATS_CURL_TRY(set(CURLOPT_DEBUGDATA, &transfer));
        PJATS_CURL_TRY(set(CURLOPT_VERBOSE, 1L));
    }
    return CURLE_OK;
}

CURLcode CurlTransport::set_form(const Request& request, CurlMime& mime) {
    mime.reset(curl_mime_init(m_easy.get()));
    if (!mime) {
        return CURLE_OUT_OF_MEMORY;
    }
    for (const FormPart& part : request.form) {
        curl_mimepart* p = curl_mime_addpart(mime.get());
        if (p == nullptr) {
            return CURLE_OUT_OF_MEMORY;
        }
        PJATS_CURL_TRY(curl_mime_name(p, part.name.c_str()));
        if (!part.file_path.empty()) {
            PJATS_CURL_TRY(curl_mime_filedata(p, part.file_path.c_str()));
            if (!part.filename.empty()) {
                PJATS_CURL_TRY(curl_mime_filename(p, part.filename.c_str()));
            }
        } else {
            PJATS_CURL_TRY(curl_mime_data(p, part.value.data(), part.value.size()));
        }
        if (!part.content_type.empty()) {
            PJATS_CURL_TRY(curl_mime_type(p, part.content_type.c_str()));
        }
    }
    PJATS_CURL_TRY(set(CURLOPT_MIMEPOST, mime.get()));
    if (request.method != "POST") {
        PJATS_CURL_TRY(set(CURLOPT_CUSTOMREQUEST, request.method.c_str()));
    }
    return CURLE_OK;
}

CURLcode CurlTransport::set_method_and_body(const Request& request, CurlMime& mime) {
    const std::string& method = request.method;
    if (!request.form.empty()) {
        return set_form(request, mime);
    }
    if (method == "GET") {
        return set(CURLOPT_HTTPGET, 1L);
    }
    if (method == "HEAD") {
        return set(CURLOPT_NOBODY, 1L);
    }
    if (method != "POST") {
        PJATS_CURL_TRY(set(CURLOPT_CUSTOMREQUEST, method.c_str()));
        if (request.body.empty() && method != "PUT" && method != "PATCH") {
            return CURLE_OK; // e.g. DELETE without a body
        }
    }
    PJATS_CURL_TRY(set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size())));
    return set(CURLOPT_POSTFIELDS, request.body.data());
}

Result<Response>
CurlTransport::perform(const Request& request, const std::string& url, std::string& location) {
    CURL* handle = m_easy.get();
    curl_easy_reset(handle); // keeps live connections and the DNS and TLS session caches
    m_error_buffer[0] = '\0';
    Transfer transfer;
    transfer.request = &request;
    transfer.tracer = &m_tracer;
    transfer.max_body = m_options.max_response_bytes;

    CurlSlist headers;
    CurlMime mime;
    bool have_expect = false;
    bool headers_ok = true;
    for (const Header& h : request.headers) {
        // "Name;" is libcurl's way to send a header with an empty value.
        const std::string line = h.value.empty() ? h.name + ";" : h.name + ": " + h.value;
        headers_ok = headers_ok && detail::slist_append(headers, line.c_str());
        have_expect = have_expect || iequals(h.name, "Expect");
    }
    if (!have_expect) {
        // No 100-continue round trip: API bodies are small and the wait costs latency.
        headers_ok = headers_ok && detail::slist_append(headers, "Expect:");
    }
    CURLcode code = headers_ok ? CURLE_OK : CURLE_OUT_OF_MEMORY;
    if (code == CURLE_OK) {
        code = set_common_options(transfer, url);
    }
    if (code == CURLE_OK) {
        code = set_method_and_body(request, mime);
    }
    if (code == CURLE_OK) {
        code = set(CURLOPT_HTTPHEADER, headers.get());
    }
    if (code != CURLE_OK) {
        return make_error(ErrorKind::failure,
                          std::string("cannot prepare the HTTP request: ")
                              + curl_easy_strerror(code));
    }
    code = curl_easy_perform(handle);
    // The list and the mime die with this scope; the handle must not point at them.
    // Clearing these options cannot fail.
    static_cast<void>(set(CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr)));
    static_cast<void>(set(CURLOPT_MIMEPOST, static_cast<curl_mime*>(nullptr)));
    if (code != CURLE_OK) {
        if (code == CURLE_WRITE_ERROR && transfer.too_large) {
            Error error = make_error(ErrorKind::failure,
                                     "response larger than "
                                         + std::to_string(m_options.max_response_bytes) + " bytes");
            error.outcome_unknown = !request.is_idempotent();
            return error;
        }
        long request_size = 0;
        curl_easy_getinfo(handle, CURLINFO_REQUEST_SIZE, &request_size);
        Error error = transfer_error(code, m_error_buffer.data(), request, url, request_size > 0);
        m_tracer.info(error.message);
        return error;
    }
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    char* redirect = nullptr;
    if (curl_easy_getinfo(handle, CURLINFO_REDIRECT_URL, &redirect) == CURLE_OK
        && redirect != nullptr) {
        location = redirect;
    }
    transfer.response.status = status;
    if (m_tracer.enabled()) {
        m_tracer.body('<', transfer.response.body);
        trace_timing(status);
    }
    return std::move(transfer.response);
}

void CurlTransport::trace_timing(long status) const {
    curl_off_t total_us = 0;
    curl_off_t connect_us = 0;
    long new_connections = 0;
    curl_easy_getinfo(m_easy.get(), CURLINFO_TOTAL_TIME_T, &total_us);
    curl_easy_getinfo(m_easy.get(), CURLINFO_CONNECT_TIME_T, &connect_us);
    curl_easy_getinfo(m_easy.get(), CURLINFO_NUM_CONNECTS, &new_connections);
    m_tracer.info("HTTP " + std::to_string(status) + " in " + std::to_string(total_us / 1000)
                  + " ms ("
                  + (new_connections > 0
                         ? "new connection, connect " + std::to_string(connect_us / 1000) + " ms"
                         : std::string("reused connection"))
                  + ")");
}

#undef PJATS_CURL_TRY

} // namespace

std::unique_ptr<Transport> make_curl_transport(TransportOptions options) {
    return std::make_unique<CurlTransport>(std::move(options));
}

GlobalInit::GlobalInit() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

GlobalInit::~GlobalInit() {
    curl_global_cleanup();
}

} // namespace pjats::http
