#!/usr/bin/env bash
# Builds the Debian package pj-ats_VERSION_ARCH.deb: /usr/bin/pj-ats and pj-ats-sandbox,
# the man page, the bash, zsh and fish completions, and the systemd units of cron runs
# (/lib/systemd/system/pj-ats-sync@.service and .timer, never enabled by the package; the
# pj-ats system user they run as comes from /usr/lib/sysusers.d/pj-ats.conf, created by
# postinst). Installs the build dependencies first (scripts/install-deps.sh, no test ones).
#
# Depends: what dpkg-shlibdeps finds for the binaries, plus libcurl4 (>= 7.68.0): pj-ats
# loads libcurl.so.4 with dlopen, so no linker tool sees it, and no network request works
# without it (7.68.0 brought curl_multi_wakeup, the newest function it uses; README.md).
# Recommends: libpq5 (>= 9.1), also dlopen'ed, but only for a team ledger on PostgreSQL
# (PQlibVersion, the newest function used, is 9.1's); a Recommends is installed by apt by
# default yet leaves a SQLite-only host free to go without it.
#
# Usage: ./scripts/package.sh [--build-dir DIR] [--out DIR]
#   --build-dir DIR  package this existing build tree (pj-ats and pj-ats-sandbox built);
#                    default: install the dependencies and build a Release tree in
#                    build-package/ first
#   --out DIR        where the .deb is written (default: dist/)
# Prints the path of the package on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir="$PWD"
build_dir=""
out_dir="dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift 2 ;;
    --out) out_dir="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
# What building and packaging needs (dpkg-dev's dpkg-shlibdeps included), before anything
# is looked for; idempotent, so a ready machine installs nothing.
./scripts/install-deps.sh
for tool in dpkg-deb dpkg-shlibdeps gzip; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "package.sh: $tool is missing (apt-get install dpkg-dev)" >&2
    exit 1
  fi
done

if [ -z "$build_dir" ]; then
  build_dir="build-package"
  BUILD_DIR="$build_dir" BUILD_TYPE=Release ./scripts/build.sh -DPJATS_BUILD_TESTS=OFF >&2
fi
build_dir="$(cd "$build_dir" && pwd)"
mkdir -p "$out_dir"
out_dir="$(cd "$out_dir" && pwd)"

version="$("$build_dir/bin/pj-ats" --version | awk '{print $2}')"
arch="$(dpkg --print-architecture)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
pkg="$stage/root"

DESTDIR="$pkg" cmake --install "$build_dir" --prefix /usr --strip >/dev/null
# Debian's places: a compressed man page, zsh completions in vendor-completions.
gzip -9n "$pkg/usr/share/man/man1/pj-ats.1"
mkdir -p "$pkg/usr/share/zsh/vendor-completions"
mv "$pkg/usr/share/zsh/site-functions/_pj-ats" "$pkg/usr/share/zsh/vendor-completions/_pj-ats"
rmdir "$pkg/usr/share/zsh/site-functions"
# Debian 12 packages ship systemd units in /lib/systemd/system.
mkdir -p "$pkg/lib/systemd"
mv "$pkg/usr/lib/systemd/system" "$pkg/lib/systemd/system"
rmdir "$pkg/usr/lib/systemd"

# dpkg-shlibdeps wants to run in a source package: give it a minimal one.
mkdir -p "$stage/src/debian"
printf 'Source: pj-ats\n\nPackage: pj-ats\nArchitecture: any\n' >"$stage/src/debian/control"
shlibs="$(cd "$stage/src" && dpkg-shlibdeps -O "$pkg/usr/bin/pj-ats" "$pkg/usr/bin/pj-ats-sandbox" \
  | sed -n 's/^shlibs:Depends=//p')"
depends="${shlibs:+$shlibs, }libcurl4 (>= 7.68.0), ca-certificates"
recommends="libpq5 (>= 9.1)"

mkdir -p "$pkg/DEBIAN"
cat >"$pkg/DEBIAN/control" <<CONTROL
Package: pj-ats
Version: $version
Architecture: $arch
Maintainer: pj-ats maintainers <pj-ats@purpose.jobs>
Installed-Size: $(du -sk "$pkg/usr" | cut -f1)
Depends: $depends
Recommends: $recommends
Section: utils
Priority: optional
Description: send Purpose Jobs candidates to Greenhouse and Lever
 pj-ats exports candidates from Purpose Jobs to Greenhouse Recruiting (Candidate
 Ingestion API) and Lever, links Purpose Jobs jobs to Lever postings, syncs
 applications from cron and publishes Lever postings. pj-ats-sandbox serves strict
 fakes of both APIs on 127.0.0.1 for trying it without accounts.
CONTROL

# The system user of pj-ats-sync@.service; the units stay disabled until an admin enables
# a timer (pj-ats-sync@PROFILE.timer).
cat >"$pkg/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ] && command -v systemd-sysusers >/dev/null 2>&1; then
  systemd-sysusers pj-ats.conf
fi
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || true
fi
POSTINST
chmod 0755 "$pkg/DEBIAN/postinst"

deb="$out_dir/pj-ats_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
echo "$deb"
