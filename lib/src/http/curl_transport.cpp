// The single-handle libcurl Transport.
//
// One easy handle is reused for every request: curl_easy_reset clears the options but keeps
// the connection cache, so consecutive calls to one host share a connection (keep-alive or
// HTTP/2). Redirects are followed here rather than by libcurl so that a request carrying
// credentials is never re-sent to another host (see curl_request.hpp).

#include "curl_request.hpp"

#include <pjats/http/http.hpp>

#include <memory>
#include <string>
#include <utility>

namespace pjats::http {

namespace {

using detail::curl;
using detail::CurlEasy;
using detail::EasyRequest;
using detail::Tracer;

class CurlTransport final : public Transport {
  public:
    explicit CurlTransport(TransportOptions options)
        : m_options(detail::resolve_options(std::move(options))),
          m_tracer(m_options.trace) {}

    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;
    CurlTransport(CurlTransport&&) = delete;
    CurlTransport& operator=(CurlTransport&&) = delete;
    ~CurlTransport() override = default;

    Result<Response> send(const Request& request) override {
        PJATS_TRY(detail::check_request(request));
        // The handle (and libcurl) on first use: a transport never used, as in a dry run,
        // never loads libcurl.
        if (!m_easy && detail::load_curl() != nullptr) {
            m_easy.reset(curl().easy_init());
        }
        if (!m_easy) {
            return detail::no_handle_error("an easy handle");
        }
        return detail::follow_redirects(
            request,
            m_tracer,
            [&](const std::string& url, std::string& location) -> Result<Response> {
                EasyRequest attempt(m_easy.get(), m_options, m_tracer);
                PJATS_TRY(attempt.prepare(request, url));
                return attempt.finish(curl().easy_perform(m_easy.get()), location);
            });
    }

  private:
    TransportOptions m_options;
    Tracer m_tracer;
    CurlEasy m_easy;
};

} // namespace

std::unique_ptr<Transport> make_curl_transport(TransportOptions options) {
    return std::make_unique<CurlTransport>(std::move(options));
}

GlobalInit::GlobalInit() {
    if (const detail::CurlApi* api = detail::load_curl()) {
        api->global_init(CURL_GLOBAL_DEFAULT);
    }
}

GlobalInit::~GlobalInit() {
    if (const detail::CurlApi* api = detail::load_curl()) {
        api->global_cleanup();
    }
}

} // namespace pjats::http
