#!/usr/bin/env bash
# pj-ats credential helper: prints the Greenhouse API key kept in pass(1), the standard
# Unix password manager (GnuPG-encrypted, so the key is never stored in plain text).
#
# Store the key once:   pass insert pj-ats/greenhouse
# Tell pj-ats to use it (the command is stored in the profile, not the key):
#   pj-ats configure greenhouse --email you@example.com \
#       --api-key-command '/usr/local/share/pj-ats/pass-greenhouse.sh pj-ats/greenhouse'
#
# Argument: the pass entry (default pj-ats/greenhouse). pj-ats runs this with /bin/sh -c,
# reads the first line of its output, and never shows that output in messages. On failure
# it prints nothing on stdout and exits non-zero, which pj-ats reports as a configuration
# error (exit status 5). gpg-agent must be able to decrypt without a terminal (cron).
set -euo pipefail

entry=${1:-pj-ats/greenhouse}
case $entry in
    -*)
        echo "${0##*/}: invalid pass entry name: $entry" >&2
        exit 2
        ;;
esac

# pass prints the password on the first line and optional notes below it.
if ! output=$(pass show "$entry"); then
    echo "${0##*/}: 'pass show $entry' failed" >&2
    exit 1
fi
key=${output%%$'\n'*}
if [[ -z $key ]]; then
    echo "${0##*/}: pass entry $entry is empty" >&2
    exit 1
fi
printf '%s\n' "$key"
