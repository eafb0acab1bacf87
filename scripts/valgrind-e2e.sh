#!/usr/bin/env bash
# Runs the end-to-end tests (CTest label `cli`) with every pj-ats process under valgrind
# memcheck: builds a Debug build without sanitizers into ./build-vg (override with BUILD_DIR)
# and sets PJATS_WRAPPER, which tests/cli/harness.py puts in front of every pj-ats command
# line. Any memcheck error or definite leak makes pj-ats exit 97, so the test that ran it
# fails. One report per pj-ats process lands in <build dir>/valgrind/<pid>.log; the non-empty
# ones are printed at the end, with the number of pj-ats runs.
# Environment: VALGRIND_E2E_SKIP_BUILD=1 uses the existing build; PJATS_TIMEOUT_SCALE
# (default 10) stretches the tests' waits on pj-ats; VALGRIND_E2E_LABEL (default ^cli$,
# every end-to-end suite; CI uses ^memcheck$, the tour in tests/cli/memcheck_tour.txt)
# picks the tests; extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind-e2e: valgrind is not installed (run scripts/install-deps.sh --test)" >&2
  exit 1
fi
build_dir="${BUILD_DIR:-build-vg}"
if [ "${VALGRIND_E2E_SKIP_BUILD:-0}" != 1 ]; then
  BUILD_DIR="$build_dir" BUILD_TYPE=Debug ./scripts/build.sh -DPJATS_BUILD_TESTS=ON \
    -DPJATS_ENABLE_ASAN=OFF -DPJATS_ENABLE_UBSAN=OFF -DPJATS_CLI_TEST_TIMEOUT=3600
fi

logs="$PWD/$build_dir/valgrind"
rm -rf "$logs"
mkdir -p "$logs"
wrapper=(valgrind --error-exitcode=97 --leak-check=full --show-leak-kinds=definite
  --errors-for-leak-kinds=definite --track-origins=no --child-silent-after-fork=yes --quiet
  "--suppressions=$PWD/tests/valgrind.supp" "--log-file=$logs/%p.log")
PJATS_WRAPPER="$(printf '%q ' "${wrapper[@]}")"
export PJATS_WRAPPER
export PJATS_TIMEOUT_SCALE="${PJATS_TIMEOUT_SCALE:-10}"

start=$SECONDS
status=0
ctest --test-dir "$build_dir" -L "${VALGRIND_E2E_LABEL:-^cli\$}" --output-on-failure -j2 "$@" || status=$?

runs=$(find "$logs" -name '*.log' | wc -l)
reports=$(find "$logs" -name '*.log' -size +0 | sort)
echo "valgrind-e2e: $runs pj-ats runs under valgrind in $((SECONDS - start)) s"
if [ -n "$reports" ]; then
  echo "valgrind-e2e: memcheck reports:" >&2
  for f in $reports; do
    echo "== $f" >&2
    cat "$f" >&2
  done
  status=1
fi
exit "$status"
