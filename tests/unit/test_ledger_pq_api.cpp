// libpq is loaded at run time (lib/src/ledger/pq_api.cpp), like libcurl.

#include "ledger/pq_api.hpp"

#include <doctest/doctest.h>

#include <string>

using pjats::ledger::detail::load_pq;
using pjats::ledger::detail::open_pq;
using pjats::ledger::detail::pq_load_error;
using pjats::ledger::detail::PqApi;

TEST_CASE("ledger::load_pq binds libpq once and reports no error") {
    const PqApi* api = load_pq();
    REQUIRE(api != nullptr);
    CHECK(pq_load_error().empty());
    CHECK(load_pq() == api);
    CHECK(api->lib_version() >= 100000); // PostgreSQL 10 or newer
}

TEST_CASE("ledger::open_pq names a missing library and the package to install") {
    PqApi api{};
    std::string error;
    CHECK_FALSE(open_pq("libpjats-no-such-pq.so.5", api, error));
    CHECK(error.find("libpq could not be loaded") != std::string::npos);
    CHECK(error.find("libpjats-no-such-pq.so.5") != std::string::npos);
    CHECK(error.find("libpq5") != std::string::npos);
}

TEST_CASE("ledger::open_pq refuses a library that is not libpq") {
    PqApi api{};
    std::string error;
    CHECK_FALSE(open_pq("libz.so.1", api, error));
    CHECK(error.find("has no PQlibVersion") != std::string::npos);
}
