// libcurl is loaded at run time (http/curl_api.cpp): a usable library binds every function,
// a missing or wrong one is a clear error instead of a crash.
#include "http/curl_api.hpp"

#include <doctest/doctest.h>

#include <string>

using pjats::http::detail::curl_load_error;
using pjats::http::detail::CurlApi;
using pjats::http::detail::load_curl;
using pjats::http::detail::open_curl;

TEST_CASE("load_curl binds libcurl once and reports no error") {
    const CurlApi* api = load_curl();
    REQUIRE(api != nullptr);
    CHECK(curl_load_error().empty());
    CHECK(load_curl() == api);
    CHECK((api->multi_wakeup != nullptr));
    const curl_version_info_data* version = api->version_info(CURLVERSION_NOW);
    REQUIRE(version != nullptr);
    CHECK(version->version_num >= 0x074400U);
    CHECK(std::string(api->easy_strerror(CURLE_OK)) == "No error");
}

TEST_CASE("open_curl names a missing library") {
    CurlApi api{};
    std::string error;
    CHECK_FALSE(open_curl("libpjats-no-such-curl.so.4", api, error));
    CHECK(error.find("libcurl could not be loaded") != std::string::npos);
    CHECK(error.find("libpjats-no-such-curl.so.4") != std::string::npos);
    CHECK(error.find("libcurl4") != std::string::npos);
}

TEST_CASE("open_curl refuses a library that is not libcurl") {
    CurlApi api{};
    std::string error;
    CHECK_FALSE(open_curl("libz.so.1", api, error));
    CHECK(error.find("has no curl_global_init") != std::string::npos);
}
