#pragma once

// Owning handles for libcurl objects, freed through the run-time loaded API
// (curl_api.hpp). Private to lib/src/http.

#include "curl_api.hpp"

#include <memory>

namespace pjats::http::detail {

struct CurlEasyDeleter {
    void operator()(CURL* handle) const noexcept {
        curl().easy_cleanup(handle);
    }
};

using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlSlistDeleter {
    void operator()(curl_slist* list) const noexcept {
        curl().slist_free_all(list);
    }
};

using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

struct CurlMimeDeleter {
    void operator()(curl_mime* mime) const noexcept {
        curl().mime_free(mime);
    }
};

using CurlMime = std::unique_ptr<curl_mime, CurlMimeDeleter>;

// Appends `line` to `list`. On failure (NULL from libcurl) the old list is kept intact and
// false is returned; on success the list owns the new node.
inline bool slist_append(CurlSlist& list, const char* line) {
    curl_slist* head = curl().slist_append(list.get(), line);
    if (head == nullptr) {
        return false;
    }
    if (!list) {
        list.reset(head);
    }
    return true;
}

} // namespace pjats::http::detail
