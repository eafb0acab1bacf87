#!/usr/bin/env bash
# Installs the Debian 12 packages pj-ats needs. Idempotent.
#
# Usage: ./scripts/install-deps.sh [--demo|--test]
#   (no flag)  what building pj-ats and its Debian package needs (scripts/build.sh,
#              scripts/package.sh)
#   --demo     also curl, which scripts/demo.sh uses
#   --test     also what the tests need (scripts/test.sh): a PostgreSQL server, clang for
#              the fuzz targets, valgrind, the shells of the completion tests, man/groff,
#              systemd-analyze for the unit files, shellcheck, strace
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libcurl4-openssl-dev libssl-dev libsqlite3-dev libpq-dev
  libcli11-dev rapidjson-dev libtomlplusplus-dev libcpp-httplib-dev
  dpkg-dev
  # scripts/build.sh configures the tests by default: doctest and Python's interpreter
  doctest-dev python3
)
demo_packages=(curl)
test_packages=(
  "${demo_packages[@]}" openssl postgresql
  man-db groff-base bash zsh fish shellcheck systemd
  clang libclang-rt-14-dev valgrind strace
)

packages=("${build_packages[@]}")
case "${1:-}" in
  "") ;;
  --demo) packages+=("${demo_packages[@]}") ;;
  --test) packages+=("${test_packages[@]}") ;;
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "install-deps.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "Installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
