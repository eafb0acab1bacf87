// Fuzzes the Greenhouse response decoders: greenhouse::error_from_response on arbitrary
// status/body pairs, and Client::current_user, jobs and create_candidate through a stub
// Transport that answers every request with the fuzz input.

#include "fuzz_input.hpp"

#include <pjats/greenhouse/client.hpp>

#include <cstddef>
#include <cstdint>
#include <utility>

namespace {

class StubTransport final : public pjats::http::Transport {
  public:
    explicit StubTransport(pjats::http::Response response)
        : m_response(std::move(response)) {}

    pjats::Result<pjats::http::Response> send(const pjats::http::Request&) override {
        return m_response;
    }

  private:
    pjats::http::Response m_response;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto input = pjats_fuzz::split_status(data, size);

    pjats::http::Response response;
    response.status = input.status;
    response.headers = {{"Content-Type", "application/json"}};
    response.body = input.body;
    (void)pjats::greenhouse::error_from_response(response, "fuzz");

    // The same body as a success and as the fuzzed status.
    for (long status : {200L, 201L, input.status}) {
        pjats::http::Response reply = response;
        reply.status = status;
        StubTransport transport(reply);
        pjats::greenhouse::Client client(
            transport, "http://127.0.0.1:9", "fuzz-key", "fuzz@example.com");
        (void)client.current_user();
        (void)client.jobs();
        (void)client.create_candidate("{\"first_name\":\"A\",\"last_name\":\"B\"}");
    }
    return 0;
}
