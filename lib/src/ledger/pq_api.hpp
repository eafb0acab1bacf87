#pragma once

// libpq, loaded at run time on the first use of a PostgreSQL ledger. The program does not
// link libpq: like libcurl (http/curl_api.hpp) it pulls in a large dependency tree (TLS,
// Kerberos, LDAP) that --version, --help and every command on a SQLite ledger should not
// pay for. <libpq-fe.h> is included for its types only. Private to lib/src/ledger.

#include <libpq-fe.h>

#include <string>

namespace pjats::ledger::detail {

// The libpq functions pj-ats calls, with libpq's own signatures.
struct PqApi {
    decltype(&::PQlibVersion) lib_version;
    decltype(&::PQconnectdbParams) connectdb_params;
    decltype(&::PQstatus) status;
    decltype(&::PQerrorMessage) error_message;
    decltype(&::PQfinish) finish;
    decltype(&::PQreset) reset;
    decltype(&::PQexec) exec;
    decltype(&::PQexecParams) exec_params;
    decltype(&::PQresultStatus) result_status;
    decltype(&::PQresultErrorMessage) result_error_message;
    decltype(&::PQresultErrorField) result_error_field;
    decltype(&::PQclear) clear;
    decltype(&::PQntuples) ntuples;
    decltype(&::PQgetvalue) getvalue;
    decltype(&::PQgetisnull) getisnull;
    decltype(&::PQcmdTuples) cmd_tuples;
    decltype(&::PQsetNoticeProcessor) set_notice_processor;
};

// Opens `library` (a libpq soname) and fills `api` from it; false with a message in
// `error` when it is missing or lacks a function. Used once by load_pq (and by tests).
bool open_pq(const char* library, PqApi& api, std::string& error);

// Loads libpq.so.5 on the first call (thread-safe). nullptr when it cannot be loaded;
// pq_load_error() says why.
const PqApi* load_pq();

// Why load_pq() returned nullptr ("" when it did not).
const std::string& pq_load_error();

} // namespace pjats::ledger::detail
