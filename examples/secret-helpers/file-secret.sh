#!/usr/bin/env bash
# pj-ats credential helper: prints the secret kept in a file that only you can read.
#
# Usage: file-secret.sh FILE
#   install -m 600 /dev/null ~/.secrets/lever-key && "$EDITOR" ~/.secrets/lever-key
#   pj-ats configure lever --api-key-command '/usr/local/share/pj-ats/file-secret.sh ~/.secrets/lever-key'
#
# Like ssh with a private key, it refuses a file that group or others may read or write
# (mode other than 0600 or 0400) or that belongs to another user, and says which chmod
# fixes it. The first line of the file is the secret; it is printed on stdout only, never
# in an error message.
set -euo pipefail

prog=${0##*/}
if [[ $# -ne 1 ]]; then
    echo "usage: $prog FILE" >&2
    exit 2
fi
file=$1

if [[ ! -f $file || ! -r $file ]]; then
    echo "$prog: $file is not a readable file" >&2
    exit 1
fi
# -L: check the file a symbolic link points to, which is what gets read.
mode=$(stat -L -c '%a' -- "$file")
owner=$(stat -L -c '%u' -- "$file")
if [[ $owner != "$(id -u)" ]]; then
    echo "$prog: $file belongs to another user (uid $owner); refusing to use it" >&2
    exit 1
fi
if [[ $mode != 600 && $mode != 400 ]]; then
    echo "$prog: $file has mode $mode, so others may read it; run: chmod 600 $file" >&2
    exit 1
fi

key=''
IFS= read -r key <"$file" || true # a last line without newline is still read
key=${key%$'\r'}
if [[ -z $key ]]; then
    echo "$prog: the first line of $file is empty" >&2
    exit 1
fi
printf '%s\n' "$key"
