#pragma once

// libcurl, loaded at run time. The program does not link libcurl: its dependency tree
// (TLS, Kerberos, LDAP, SSH, IDN… 30-odd libraries) costs ~10 ms of dynamic loading on
// every start, which commands that never touch the network (--version, --help, jobs from
// a directory source, link-job --list) should not pay. The first transport loads
// libcurl.so.4 and calls curl_global_init; <curl/curl.h> is included for its types and
// constants only. Private to lib/src/http.

#include <curl/curl.h>

#include <string>

namespace pjats::http::detail {

// The libcurl functions pj-ats calls, with libcurl's own signatures.
struct CurlApi {
    decltype(&::curl_global_init) global_init;
    decltype(&::curl_global_cleanup) global_cleanup;
    decltype(&::curl_version_info) version_info;
    decltype(&::curl_easy_init) easy_init;
    decltype(&::curl_easy_cleanup) easy_cleanup;
    decltype(&::curl_easy_reset) easy_reset;
    decltype(&::curl_easy_setopt) easy_setopt;
    decltype(&::curl_easy_getinfo) easy_getinfo;
    decltype(&::curl_easy_perform) easy_perform;
    decltype(&::curl_easy_strerror) easy_strerror;
    decltype(&::curl_slist_append) slist_append;
    decltype(&::curl_slist_free_all) slist_free_all;
    decltype(&::curl_mime_init) mime_init;
    decltype(&::curl_mime_free) mime_free;
    decltype(&::curl_mime_addpart) mime_addpart;
    decltype(&::curl_mime_name) mime_name;
    decltype(&::curl_mime_filedata) mime_filedata;
    decltype(&::curl_mime_filename) mime_filename;
    decltype(&::curl_mime_data) mime_data;
    decltype(&::curl_mime_data_cb) mime_data_cb;
    decltype(&::curl_mime_type) mime_type;
    decltype(&::curl_multi_init) multi_init;
    decltype(&::curl_multi_cleanup) multi_cleanup;
    decltype(&::curl_multi_setopt) multi_setopt;
    decltype(&::curl_multi_add_handle) multi_add_handle;
    decltype(&::curl_multi_remove_handle) multi_remove_handle;
    decltype(&::curl_multi_perform) multi_perform;
    decltype(&::curl_multi_poll) multi_poll;
    decltype(&::curl_multi_wakeup) multi_wakeup;
    decltype(&::curl_multi_info_read) multi_info_read;
    decltype(&::curl_multi_strerror) multi_strerror;
};

// Opens `library` (a libcurl soname) and fills `api` from it, without global
// initialisation; false with a message in `error` when it is missing, lacks a function, or
// is older than 7.68.0. Used once by load_curl (and by tests).
bool open_curl(const char* library, CurlApi& api, std::string& error);

// Loads libcurl and initialises it globally on the first call (thread-safe; cleaned up at
// exit). nullptr when libcurl cannot be loaded or is too old; curl_load_error() says why.
const CurlApi* load_curl();

// Why load_curl() returned nullptr ("" when it did not).
const std::string& curl_load_error();

// The loaded API. Precondition: load_curl() returned non-null — every libcurl handle the
// program holds was made through it, so code that owns a handle may call this.
const CurlApi& curl();

} // namespace pjats::http::detail
