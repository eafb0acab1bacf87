#pragma once

// Request bodies that libcurl may send at most once. A non-idempotent request's body is
// handed to libcurl through read callbacks instead of CURLOPT_POSTFIELDS or curl_mime_data,
// whose buffers libcurl can rewind by itself: when a reused keep-alive connection dies
// without a response byte, libcurl re-sends the request on a fresh connection, and the
// server may then act on it twice. Here a rewind (libcurl's seek to offset 0) is allowed
// only while no byte has been handed out; afterwards it is refused (the transfer then
// fails with CURLE_SEND_FAIL_REWIND) and the refusal is remembered. Private to
// lib/src/http.

#include <curl/curl.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace pjats::http::detail {

// Whether any body byte of one request has been handed to libcurl; shared by every
// reader of that request (all parts of a multipart body).
class SendGate {
  public:
    void mark_sent() {
        m_sent = true;
    }

    // libcurl asks to seek to `offset` from `origin` (SEEK_SET…): allowed only to the start
    // before any byte left. CURL_SEEKFUNC_OK or CURL_SEEKFUNC_CANTSEEK; a refusal after
    // bytes left sets refused().
    int seek(curl_off_t offset, int origin);

    bool sent() const {
        return m_sent;
    }

    // libcurl wanted to re-send bytes that had already left: the request may have reached
    // the server.
    bool refused() const {
        return m_refused;
    }

  private:
    bool m_sent = false;
    bool m_refused = false;
};

// Bytes in memory (not owned), read from the start through `read` / `seek`.
struct MemoryBody {
    std::string_view data;
    std::size_t offset = 0;
    SendGate* gate = nullptr;

    // CURLOPT_READFUNCTION / curl_mime_data_cb signature; `user` is a MemoryBody.
    static std::size_t read(char* buffer, std::size_t size, std::size_t count, void* user);
    // CURLOPT_SEEKFUNCTION / curl_mime_data_cb signature.
    static int seek(void* user, curl_off_t offset, int origin);
};

// A file read through its own FILE*, for a multipart part.
class FileBody {
  public:
    explicit FileBody(SendGate& gate)
        : m_gate(&gate) {}
    FileBody(const FileBody&) = delete;
    FileBody& operator=(const FileBody&) = delete;
    ~FileBody();

    // Opens `path` and measures it; false when it cannot be read.
    bool open(const std::string& path);

    curl_off_t size() const {
        return m_size;
    }

    static std::size_t read(char* buffer, std::size_t size, std::size_t count, void* user);
    static int seek(void* user, curl_off_t offset, int origin);

  private:
    std::FILE* m_file = nullptr;
    curl_off_t m_size = 0;
    SendGate* m_gate;
};

} // namespace pjats::http::detail
