#include "ledger/pq_api.hpp"

#include <dlfcn.h>

#include <cstring>
#include <string>

namespace pjats::ledger::detail {

namespace {

// libpq's ABI-stable run-time name (the libpq5 package).
constexpr const char* k_library = "libpq.so.5";

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

bool bind_all(void* lib, PqApi& api, std::string& error) {
    return bind(lib, "PQlibVersion", api.lib_version, error)
           && bind(lib, "PQconnectdbParams", api.connectdb_params, error)
           && bind(lib, "PQstatus", api.status, error)
           && bind(lib, "PQerrorMessage", api.error_message, error)
           && bind(lib, "PQfinish", api.finish, error)
           && bind(lib, "PQreset", api.reset, error)
           && bind(lib, "PQexec", api.exec, error)
           && bind(lib, "PQexecParams", api.exec_params, error)
           && bind(lib, "PQresultStatus", api.result_status, error)
           && bind(lib, "PQresultErrorMessage", api.result_error_message, error)
           && bind(lib, "PQresultErrorField", api.result_error_field, error)
           && bind(lib, "PQclear", api.clear, error)
           && bind(lib, "PQntuples", api.ntuples, error)
           && bind(lib, "PQgetvalue", api.getvalue, error)
           && bind(lib, "PQgetisnull", api.getisnull, error)
           && bind(lib, "PQcmdTuples", api.cmd_tuples, error)
           && bind(lib, "PQsetNoticeProcessor", api.set_notice_processor, error);
}

// The process-wide libpq; the library stays mapped so no function pointer can dangle.
struct LoadedPq {
    LoadedPq() { loaded = open_pq(k_library, api, error); }

    PqApi api{};
    bool loaded = false;
    std::string error;
};

const LoadedPq& loaded_pq() {
    static const LoadedPq loaded; // thread-safe initialisation on first use
    return loaded;
}

} // namespace

bool open_pq(const char* library, PqApi& api, std::string& error) {
    void* handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = dlerror();
        error = std::string("libpq could not be loaded: ") + (why != nullptr ? why : library)
                + " (a PostgreSQL ledger needs the libpq5 package: apt-get install libpq5)";
        return false;
    }
    if (!bind_all(handle, api, error)) {
        error = std::string("libpq could not be loaded from ") + library + ": " + error;
        dlclose(handle);
        return false;
    }
    return true; // the handle stays open for the life of the process
}

const PqApi* load_pq() {
    const LoadedPq& pq = loaded_pq();
    return pq.loaded ? &pq.api : nullptr;
}

const std::string& pq_load_error() {
    return loaded_pq().error;
}

} // namespace pjats::ledger::detail
