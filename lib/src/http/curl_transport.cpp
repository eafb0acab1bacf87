// The single-handle libcurl Transport.
//
// One easy handle is reused for every request: curl_easy_reset clears the options but keeps
// the connection cache, so consecutive calls to one host share a connection (keep-alive or
// HTTP/2). Redirects are followed here rather than by libcurl so that a request carrying
// credentials is never re-sent to another host (see curl_request.hpp).

#include "curl_request.hpp"

#include <pjats/http/http.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace pjats::http {

namespace {

using detail::CurlEasy;
using detail::EasyRequest;
using detail::Tracer;

class CurlTransport final : public Transport {
  public:
    explicit CurlTransport(TransportOptions options)
        : m_options(detail::resolve_options(std::move(options))),
          m_tracer(m_options.trace),
          m_easy(curl_easy_init()) {}

    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;
    CurlTransport(CurlTransport&&) = delete;
    CurlTransport& operator=(CurlTransport&&) = delete;
    ~CurlTransport() override = default;

    Result<Response> send(const Request& request) override {
        PJATS_TRY(detail::check_request(request));
        if (!m_easy) {
            return make_error(ErrorKind::failure, "libcurl could not create a handle");
        }
        return detail::follow_redirects(
            request,
            m_tracer,
            [&](const std::string& url, std::string& location) -> Result<Response> {
                EasyRequest attempt(m_easy.get(), m_options, m_tracer);
                PJATS_TRY(attempt.prepare(request, url));
                return attempt.finish(curl_easy_perform(m_easy.get()), location);
            });
    }

  private:
    TransportOptions m_options;
    Tracer m_tracer;
    CurlEasy m_easy;
};

} // namespace

std::unique_ptr<Transport> make_curl_transport(TransportOptions options) {
    detail::ensure_global_init();
    return std::make_unique<CurlTransport>(std::move(options));
}

GlobalInit::GlobalInit() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

GlobalInit::~GlobalInit() {
    curl_global_cleanup();
}

void detail::ensure_global_init() {
    // Initialised on first use, not in main: commands that never touch the network
    // (--version, --help, link-job --list) skip the TLS library's start-up cost.
    static std::once_flag once;
    static std::unique_ptr<GlobalInit> global;
    std::call_once(once, [] { global = std::make_unique<GlobalInit>(); });
}

} // namespace pjats::http
