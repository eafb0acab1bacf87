// Fuzzes Lever list pagination: decode_postings_page and decode_opportunities_page, and
// the invariants the listing loop relies on, plus Client::postings and find_opportunities
// walking pages through a stub Transport that answers every request with the input (a
// repeated next token must end the walk with an error, never loop).

#include <pjats/http/url.hpp>
#include <pjats/lever/client.hpp>
#include <pjats/lever/credentials.hpp>
#include <pjats/lever/model.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace {

template <typename T>
void check_page(const pjats::Result<pjats::lever::Page<T>>& page) {
    if (!page) {
        return;
    }
    // The cursor goes back into a query string: encoding it must round-trip safely.
    std::string encoded = pjats::http::url_encode(page->next);
    for (char c : encoded) {
        if (c == '&' || c == '#' || c == ' ' || c == '?') {
            __builtin_trap();
        }
    }
}

class StubTransport final : public pjats::http::Transport {
  public:
    explicit StubTransport(std::string body)
        : m_body(std::move(body)) {}

    pjats::Result<pjats::http::Response> send(const pjats::http::Request&) override {
        ++m_calls;
        if (m_calls > 3) {
            __builtin_trap(); // a constant page must not be fetched a third time
        }
        pjats::http::Response response;
        response.status = 200;
        response.headers = {{"Content-Type", "application/json"}};
        response.body = m_body;
        return response;
    }

    void reset() {
        m_calls = 0;
    }

  private:
    std::string m_body;
    int m_calls = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view body(reinterpret_cast<const char*>(data), size);
    check_page(pjats::lever::decode_postings_page(body));
    check_page(pjats::lever::decode_opportunities_page(body));
    check_page(pjats::lever::decode_users_page(body));

    StubTransport transport{std::string(body)};
    pjats::lever::ApiKeyCredentials credentials("fuzz-key");
    pjats::lever::Client client(transport, credentials, "http://127.0.0.1:9");
    (void)client.postings("");
    transport.reset();
    (void)client.postings("published");
    transport.reset();
    (void)client.find_opportunities("fuzz@example.com", "Purpose Jobs", "");
    return 0;
}
