// Request bodies that libcurl may send at most once.
#include "one_shot_body.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>

namespace pjats::http::detail {

int SendGate::seek(curl_off_t offset, int origin) {
    if (offset == 0 && origin == SEEK_SET && !m_sent) {
        return CURL_SEEKFUNC_OK;
    }
    if (m_sent) {
        m_refused = true;
    }
    return CURL_SEEKFUNC_CANTSEEK;
}

std::size_t MemoryBody::read(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* body = static_cast<MemoryBody*>(user);
    const std::size_t n = std::min(size * count, body->data.size() - body->offset);
    if (n > 0) {
        std::memcpy(buffer, body->data.data() + body->offset, n);
        body->offset += n;
        body->gate->mark_sent();
    }
    return n;
}

int MemoryBody::seek(void* user, curl_off_t offset, int origin) {
    auto* body = static_cast<MemoryBody*>(user);
    const int verdict = body->gate->seek(offset, origin);
    if (verdict == CURL_SEEKFUNC_OK) {
        body->offset = 0;
    }
    return verdict;
}

FileBody::~FileBody() {
    if (m_file != nullptr) {
        std::fclose(m_file);
    }
}

bool FileBody::open(const std::string& path) {
    m_file = std::fopen(path.c_str(), "rb");
    if (m_file == nullptr) {
        return false;
    }
    struct stat info {};
    if (::fstat(fileno(m_file), &info) != 0 || !S_ISREG(info.st_mode)) {
        return false;
    }
    m_size = static_cast<curl_off_t>(info.st_size);
    return true;
}

std::size_t FileBody::read(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* body = static_cast<FileBody*>(user);
    const std::size_t n = std::fread(buffer, 1, size * count, body->m_file);
    if (n == 0 && std::ferror(body->m_file) != 0) {
        return CURL_READFUNC_ABORT;
    }
    if (n > 0) {
        body->m_gate->mark_sent();
    }
    return n;
}

int FileBody::seek(void* user, curl_off_t offset, int origin) {
    auto* body = static_cast<FileBody*>(user);
    const int verdict = body->m_gate->seek(offset, origin);
    if (verdict == CURL_SEEKFUNC_OK && std::fseek(body->m_file, 0, SEEK_SET) != 0) {
        return CURL_SEEKFUNC_FAIL;
    }
    return verdict;
}

} // namespace pjats::http::detail
