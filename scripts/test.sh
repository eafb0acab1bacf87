#!/usr/bin/env bash
# Runs every test: installs dependencies, builds, runs the whole CTest suite (unit and
# end-to-end tests against the strict fakes), then builds with AddressSanitizer +
# UndefinedBehaviorSanitizer and runs the suite again under them, then a short libFuzzer
# smoke run of every fuzz target, then the end-to-end tests with every pj-ats process under
# valgrind memcheck over a representative subset of suites (reusing the Debug build).
set -euo pipefail
cd "$(dirname "$0")/.."
# Each stage line says how long the run has taken so far (CI must stay under 60 minutes).
stage() { echo "== $1 (at $((SECONDS / 60)) min $((SECONDS % 60)) s)"; }
./scripts/install-deps.sh --test
# The PostgreSQL ledger cases run against a throwaway cluster; here they must not skip.
export PJATS_TEST_PG_REQUIRED=1

stage "build (Debug, warnings as errors)"
BUILD_DIR=build-test BUILD_TYPE=Debug ./scripts/build.sh -DPJATS_WARNINGS_AS_ERRORS=ON -DPJATS_BUILD_TESTS=ON
stage "tests"
ctest --test-dir build-test --output-on-failure -j2 --timeout 300 -LE '^memcheck$'

stage "build (ASan + UBSan)"
BUILD_DIR=build-asan BUILD_TYPE=Debug ./scripts/build.sh -DPJATS_ENABLE_ASAN=ON -DPJATS_ENABLE_UBSAN=ON -DPJATS_BUILD_TESTS=ON
stage "tests under ASan + UBSan"
# Everything but the help/man/completion text checks, which only run --help, and the .deb
# packaging check, which runs dpkg tools over the binaries (the Debug run above covers both).
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j2 --timeout 600 -LE '^memcheck$' \
  -E 'cli\.test_(docs_and_completions|package)$'

stage "fuzz smoke (libFuzzer, clang)"
FUZZ_SECONDS="${FUZZ_SECONDS:-10}" ./scripts/fuzz-smoke.sh

stage "end-to-end tests under valgrind memcheck"
# The memcheck tour (tests/cli/memcheck_tour.txt): chosen cases of the end-to-end suites
# that reach every send path, TLS, the multi transport, OAuth, sync, the ledger and the
# redaction, reusing the Debug build. The whole list: ./scripts/valgrind-e2e.sh
VALGRIND_E2E_LABEL='^memcheck$' BUILD_DIR=build-test \
  ./scripts/valgrind-e2e.sh

stage "done"
