#pragma once

// Helpers shared by the fuzz targets: split one fuzz input into a status code and a body.

#include <cstddef>
#include <cstdint>
#include <string>

namespace pjats_fuzz {

// The first two bytes choose an HTTP status in [100, 599]; the rest is the body.
struct StatusAndBody {
    long status = 200;
    std::string body;
};

inline StatusAndBody split_status(const std::uint8_t* data, std::size_t size) {
    StatusAndBody out;
    if (size >= 2) {
        out.status = 100 + static_cast<long>((data[0] << 8 | data[1]) % 500);
        data += 2;
        size -= 2;
    }
    out.body.assign(reinterpret_cast<const char*>(data), size);
    return out;
}

} // namespace pjats_fuzz
