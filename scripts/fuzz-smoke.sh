#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang in build-fuzz/ and runs each one for
# FUZZ_SECONDS (default 30) on a scratch copy of its seed corpus (fuzz/corpus/<target>).
# Fails when a target crashes, leaks, hits a sanitizer report or times out.
#
#   scripts/fuzz-smoke.sh                 # every target, 30 s each
#   FUZZ_SECONDS=5 scripts/fuzz-smoke.sh fuzz_record fuzz_profile
#
# Environment: FUZZ_SECONDS, FUZZ_BUILD_DIR (default <repo>/build-fuzz), FUZZ_JOBS (build
# parallelism, default 2), CC/CXX (default clang/clang++).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${FUZZ_SECONDS:-30}"
jobs="${FUZZ_JOBS:-2}"
all_targets=(fuzz_record fuzz_profile fuzz_greenhouse_decode fuzz_lever_decode
             fuzz_retry_after fuzz_pagination)
if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  targets=("${all_targets[@]}")
fi

export CC="${CC:-clang}" CXX="${CXX:-clang++}"
if ! command -v "$CXX" >/dev/null; then
  echo "fuzz-smoke: $CXX not found (scripts/install-deps.sh --test installs clang)" >&2
  exit 2
fi

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
generator=()
if command -v ninja >/dev/null; then
  generator=(-G Ninja)
fi
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build_dir" "${generator[@]}" "${launcher[@]}" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPJATS_FUZZ=ON -DPJATS_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build_dir" -j "$jobs" --target "${targets[@]}"

work="$(mktemp -d "${TMPDIR:-/tmp}/pjats-fuzz-XXXXXX")"
trap 'rm -rf "$work"' EXIT

failed=()
for t in "${targets[@]}"; do
  corpus="$work/$t/corpus"
  artifacts="$work/$t/artifacts"
  mkdir -p "$corpus" "$artifacts"
  if [ -d "$root/fuzz/corpus/$t" ]; then
    cp -R "$root/fuzz/corpus/$t/." "$corpus/"
  fi
  echo "== $t (${seconds}s)" >&2
  if ! "$build_dir/bin/$t" "$corpus" -max_total_time="$seconds" -max_len=65536 \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" >"$work/$t/log" 2>&1; then
    failed+=("$t")
    tail -n 60 "$work/$t/log" >&2
    for a in "$artifacts"/*; do
      [ -e "$a" ] || continue
      mkdir -p "$build_dir/fuzz-artifacts/$t"
      cp "$a" "$build_dir/fuzz-artifacts/$t/"
      echo "fuzz-smoke: $t: reproducer saved as $build_dir/fuzz-artifacts/$t/$(basename "$a")" >&2
    done
  else
    grep -E '^(stat::number_of_executed_units|Done )' "$work/$t/log" >&2 || true
  fi
done

if [ "${#failed[@]}" -ne 0 ]; then
  echo "fuzz-smoke: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz-smoke: all ${#targets[@]} targets ran ${seconds}s without findings" >&2
