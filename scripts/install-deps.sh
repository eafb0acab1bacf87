#!/usr/bin/env bash
# Installs the Debian 12 packages pj-ats needs to build and test. Idempotent.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libcurl4-openssl-dev libssl-dev libsqlite3-dev
  postgresql libpq-dev
  libcli11-dev rapidjson-dev libtomlplusplus-dev doctest-dev libcpp-httplib-dev
  python3 openssl curl man-db groff-base bash zsh fish
  clang libclang-rt-14-dev valgrind strace
)

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
