#include "curl_api.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace pjats::http::detail {

namespace {

// libcurl's ABI-stable run-time name (the libcurl4 package).
constexpr const char* k_library = "libcurl.so.4";

// curl_multi_wakeup, the newest function used, arrived in 7.68.0.
constexpr unsigned k_min_version = 0x074400;

template <typename Function>
bool bind(void* library, const char* name, Function& slot, std::string& error) {
    void* symbol = dlsym(library, name);
    if (symbol == nullptr) {
        error = std::string("it has no ") + name;
        return false;
    }
    static_assert(sizeof(slot) == sizeof(symbol));
    std::memcpy(&slot, &symbol, sizeof(slot)); // POSIX: dlsym results are callable
    return true;
}

bool bind_all(void* lib, CurlApi& api, std::string& error) {
    return bind(lib, "curl_global_init", api.global_init, error)
           && bind(lib, "curl_global_cleanup", api.global_cleanup, error)
           && bind(lib, "curl_version_info", api.version_info, error)
           && bind(lib, "curl_easy_init", api.easy_init, error)
           && bind(lib, "curl_easy_cleanup", api.easy_cleanup, error)
           && bind(lib, "curl_easy_reset", api.easy_reset, error)
           && bind(lib, "curl_easy_setopt", api.easy_setopt, error)
           && bind(lib, "curl_easy_getinfo", api.easy_getinfo, error)
           && bind(lib, "curl_easy_perform", api.easy_perform, error)
           && bind(lib, "curl_easy_strerror", api.easy_strerror, error)
           && bind(lib, "curl_slist_append", api.slist_append, error)
           && bind(lib, "curl_slist_free_all", api.slist_free_all, error)
           && bind(lib, "curl_mime_init", api.mime_init, error)
           && bind(lib, "curl_mime_free", api.mime_free, error)
           && bind(lib, "curl_mime_addpart", api.mime_addpart, error)
           && bind(lib, "curl_mime_name", api.mime_name, error)
           && bind(lib, "curl_mime_filedata", api.mime_filedata, error)
           && bind(lib, "curl_mime_filename", api.mime_filename, error)
           && bind(lib, "curl_mime_data", api.mime_data, error)
           && bind(lib, "curl_mime_data_cb", api.mime_data_cb, error)
           && bind(lib, "curl_mime_type", api.mime_type, error)
           && bind(lib, "curl_multi_init", api.multi_init, error)
           && bind(lib, "curl_multi_cleanup", api.multi_cleanup, error)
           && bind(lib, "curl_multi_setopt", api.multi_setopt, error)
           && bind(lib, "curl_multi_add_handle", api.multi_add_handle, error)
           && bind(lib, "curl_multi_remove_handle", api.multi_remove_handle, error)
           && bind(lib, "curl_multi_perform", api.multi_perform, error)
           && bind(lib, "curl_multi_poll", api.multi_poll, error)
           && bind(lib, "curl_multi_wakeup", api.multi_wakeup, error)
           && bind(lib, "curl_multi_info_read", api.multi_info_read, error)
           && bind(lib, "curl_multi_strerror", api.multi_strerror, error);
}

// The process-wide libcurl: loaded and initialised once; curl_global_cleanup at exit. The
// library itself stays mapped (never dlclose'd) so no function pointer can dangle.
class LoadedCurl {
  public:
    LoadedCurl() {
        CurlApi api{};
        if (!open_curl(k_library, api, m_error)) {
            return;
        }
        if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            m_error = "libcurl could not be initialised (curl_global_init failed)";
            return;
        }
        m_api = api;
        m_loaded = true;
    }

    LoadedCurl(const LoadedCurl&) = delete;
    LoadedCurl& operator=(const LoadedCurl&) = delete;

    ~LoadedCurl() {
        if (m_loaded) {
            m_api.global_cleanup();
        }
    }

    const CurlApi* api() const {
        return m_loaded ? &m_api : nullptr;
    }

    const std::string& error() const {
        return m_error;
    }

  private:
    CurlApi m_api{};
    bool m_loaded = false;
    std::string m_error;
};

const LoadedCurl& loaded_curl() {
    static const LoadedCurl loaded; // thread-safe initialisation on first use
    return loaded;
}

} // namespace

bool open_curl(const char* library, CurlApi& api, std::string& error) {
    void* handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = dlerror();
        error = std::string("libcurl could not be loaded: ") + (why != nullptr ? why : library)
                + " (install the libcurl4 package)";
        return false;
    }
    if (!bind_all(handle, api, error)) {
        error = std::string("libcurl could not be loaded from ") + library + ": " + error;
        dlclose(handle);
        return false;
    }
    const curl_version_info_data* version = api.version_info(CURLVERSION_NOW);
    if (version == nullptr || version->version_num < k_min_version) {
        error = std::string("libcurl ") + (version != nullptr ? version->version : "?")
                + " is too old: pj-ats needs 7.68.0 or newer";
        dlclose(handle);
        return false;
    }
    return true; // the handle stays open for the life of the process
}

const CurlApi* load_curl() {
    return loaded_curl().api();
}

const std::string& curl_load_error() {
    return loaded_curl().error();
}

const CurlApi& curl() {
    const CurlApi* api = load_curl();
    if (api == nullptr) {
        std::abort(); // precondition broken: a libcurl handle exists without libcurl
    }
    return *api;
}

} // namespace pjats::http::detail

