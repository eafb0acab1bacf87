#!/usr/bin/env bash
# Runs every test: installs dependencies, builds, runs the whole CTest suite (unit and
# end-to-end tests against the strict fakes), then builds with AddressSanitizer +
# UndefinedBehaviorSanitizer and runs the suite again under them, then a short libFuzzer
# smoke run of every fuzz target, then the end-to-end tests with every pj-ats process under
# valgrind memcheck (reusing the Debug build; ~22 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
# The PostgreSQL ledger cases run against a throwaway cluster; here they must not skip.
export PJATS_TEST_PG_REQUIRED=1

echo "== build (Debug, warnings as errors)"
BUILD_DIR=build-test BUILD_TYPE=Debug ./scripts/build.sh -DPJATS_WARNINGS_AS_ERRORS=ON -DPJATS_BUILD_TESTS=ON
echo "== tests"
ctest --test-dir build-test --output-on-failure -j2 --timeout 300

echo "== build (ASan + UBSan)"
BUILD_DIR=build-asan BUILD_TYPE=Debug ./scripts/build.sh -DPJATS_ENABLE_ASAN=ON -DPJATS_ENABLE_UBSAN=ON -DPJATS_BUILD_TESTS=ON
echo "== tests under ASan + UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j2 --timeout 600

echo "== fuzz smoke (libFuzzer, clang)"
FUZZ_SECONDS="${FUZZ_SECONDS:-20}" ./scripts/fuzz-smoke.sh

echo "== end-to-end tests under valgrind memcheck"
# The concurrency suites (test_exactly_once, test_team_ledger) and the package test run
# under ASan above;
# under valgrind they would add minutes and prove nothing new.
BUILD_DIR=build-test ./scripts/valgrind-e2e.sh -E 'cli\.test_(exactly_once|package|team_ledger)$'

