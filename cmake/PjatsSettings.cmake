# Compiler settings live in two INTERFACE targets that every target links PRIVATE.
add_library(pjats_settings INTERFACE)
add_library(pjats_warnings INTERFACE)

target_compile_options(pjats_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  -Wcast-align -Wextra-semi -Wunused)
# -Wnull-dereference is left out: with GCC 12 at -O2 it fires inside libstdc++ and CLI11.
if(PJATS_WARNINGS_AS_ERRORS)
  target_compile_options(pjats_warnings INTERFACE -Werror)
endif()

target_compile_definitions(pjats_settings INTERFACE
  $<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>
  PJATS_VERSION="${PROJECT_VERSION}")

set(_pjats_sanitizers "")
if(PJATS_ENABLE_ASAN)
  list(APPEND _pjats_sanitizers address)
endif()
if(PJATS_ENABLE_UBSAN)
  list(APPEND _pjats_sanitizers undefined)
endif()
if(_pjats_sanitizers)
  list(JOIN _pjats_sanitizers "," _pjats_san)
  target_compile_options(pjats_settings INTERFACE -fsanitize=${_pjats_san} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(pjats_settings INTERFACE -fsanitize=${_pjats_san})
endif()

if(PJATS_ENABLE_CLANG_TIDY)
  find_program(CLANG_TIDY_EXE NAMES clang-tidy clang-tidy-14 REQUIRED)
  set(CMAKE_CXX_CLANG_TIDY ${CLANG_TIDY_EXE})
endif()
