// Fuzzes the Lever response decoders (lever/model.hpp) and lever::error_from_response.

#include "fuzz_input.hpp"

#include <pjats/lever/client.hpp>
#include <pjats/lever/model.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view body(reinterpret_cast<const char*>(data), size);
    (void)pjats::lever::decode_posting(body);
    (void)pjats::lever::decode_postings_page(body);
    (void)pjats::lever::decode_users_page(body);
    (void)pjats::lever::decode_opportunities_page(body);
    (void)pjats::lever::decode_created_opportunity(body);

    auto input = pjats_fuzz::split_status(data, size);
    pjats::http::Response response;
    response.status = input.status;
    response.headers = {{"Content-Type", "application/json"}};
    response.body = input.body;
    (void)pjats::lever::error_from_response(response, "fuzz");
    return 0;
}
