// Responses that never fit in memory (see oversized_response.hpp).
#include "oversized_response.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

namespace pjats::fakes {

namespace {

constexpr const char* k_json = "application/json";
constexpr std::size_t k_piece_bytes = 64 * 1024;
// A pause after each piece caps the stream near 64 MB/s: a client that never stops reading
// gets its cap hit in well under a second but cannot make the fake spin a core.
constexpr std::chrono::milliseconds k_piece_pause{1};

// The start of a JSON document that never closes, then filler.
const std::string& prefix() {
    static const std::string text = R"({"data":")";
    return text;
}

const std::string& filler() {
    static const std::string text(k_piece_bytes, 'x');
    return text;
}

// Writes the next piece at `offset` (at most `limit` bytes); false once the client is gone.
bool write_piece(std::size_t offset, std::size_t limit, httplib::DataSink& sink) {
    if (offset == 0) {
        return sink.write(prefix().data(), std::min(prefix().size(), limit));
    }
    std::this_thread::sleep_for(k_piece_pause);
    return sink.write(filler().data(), std::min(filler().size(), limit));
}

} // namespace

void huge_response(httplib::Response& res) {
    res.status = 200;
    res.body.clear();
    res.set_content_provider(k_huge_body_bytes,
                             k_json,
                             [](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                 return write_piece(offset, length, sink);
                             });
}

void endless_response(httplib::Response& res) {
    res.status = 200;
    res.body.clear();
    res.set_chunked_content_provider(k_json, [](std::size_t offset, httplib::DataSink& sink) {
        return write_piece(offset, k_piece_bytes, sink);
    });
}

} // namespace pjats::fakes
