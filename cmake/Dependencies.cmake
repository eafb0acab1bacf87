# Every dependency comes from a Debian package; nothing is downloaded at build time.
find_package(CURL REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(tomlplusplus CONFIG REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Threads REQUIRED)
find_package(RapidJSON CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
find_package(OpenSSL REQUIRED)
# libpq (PostgreSQL ledger) is loaded at run time like libcurl: only its header is needed.
find_path(PJATS_LIBPQ_INCLUDE_DIR libpq-fe.h PATH_SUFFIXES postgresql REQUIRED)

# Debian's RapidJSON config defines no target: make one.
add_library(pjats_rapidjson INTERFACE)
target_include_directories(pjats_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIRS})
target_compile_definitions(pjats_rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)
