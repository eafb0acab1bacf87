#!/usr/bin/env bash
# Send every candidate listed in a CSV export to Greenhouse or Lever with pj-ats.
#
# Usage: bulk-send-from-csv.sh EXPORT.csv [more `pj-ats send` flags...]
#        TARGET=greenhouse bulk-send-from-csv.sh export.csv --job 4690
#        bulk-send-from-csv.sh - --dry-run < export.csv
#
# The CSV needs a header row with a `purpose_jobs_id` column (another name: ID_COLUMN=...).
# Quoted fields (with commas, quotes or line breaks inside) are handled by Python's csv
# module; a UTF-8 byte-order mark, as Excel writes, is ignored. Blank ids are skipped and
# repeated ids are sent once.
#
# Environment: TARGET (greenhouse or lever; default lever), ID_COLUMN (default
# purpose_jobs_id), and everything pj-ats reads (PJ_ATS_PROFILE, ...).
#
# Exit status: pj-ats's own (0 all sent, 3 partial, 7 temporary, ...; see pj-ats(1)),
# or 2 when the CSV cannot be read or has no such column. Re-running after a partial or
# temporary failure is safe: pj-ats's ledger skips candidates already sent.
set -euo pipefail

prog=${0##*/}

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
    exit 2
fi
csv_file=$1
shift
target=${TARGET:-lever}
column=${ID_COLUMN:-purpose_jobs_id}

# Prints the ids of column $1 in CSV file $2 ("-": standard input), one per line.
extract_ids() {
    python3 -c '
import csv
import sys

prog, column, path = sys.argv[1], sys.argv[2], sys.argv[3]
name = "standard input" if path == "-" else path

def fail(message):
    sys.stderr.write("%s: %s\n" % (prog, message))
    sys.exit(2)

try:
    stream = (open(sys.stdin.fileno(), encoding="utf-8-sig", newline="", closefd=False)
              if path == "-" else open(path, encoding="utf-8-sig", newline=""))
except OSError as error:
    fail("cannot read %s: %s" % (name, error.strerror))
seen = set()
with stream:
    reader = csv.reader(stream)
    try:
        header = next(reader, None)
        if header is None:
            fail("%s is empty" % name)
        names = [name.strip().lower() for name in header]
        if column.lower() not in names:
            fail("%s has no %s column (columns: %s)" % (name, column, ", ".join(header)))
        index = names.index(column.lower())
        for row in reader:
            value = row[index].strip() if index < len(row) else ""
            if not value or value in seen:
                continue
            if any(c.isspace() or not c.isprintable() for c in value):
                fail("%s line %d: %s %r is not a valid id"
                     % (name, reader.line_num, column, value))
            seen.add(value)
            print(value)
    except csv.Error as error:
        fail("%s line %d: %s" % (name, reader.line_num, error))
    except UnicodeDecodeError:
        fail("%s is not UTF-8 text" % name)
' "$prog" "$column" "$csv_file"
}

# Read the whole file first: a broken CSV then sends nothing at all.
ids=$(extract_ids)
if [[ -z $ids ]]; then
    echo "$prog: no ids in the $column column of $csv_file; nothing to send" >&2
    exit 0
fi
echo "$prog: sending $(wc -l <<<"$ids") candidate(s) to $target" >&2

# exec: this script's exit status is exactly pj-ats's.
exec pj-ats send --ids-from - --to "$target" "$@" <<<"$ids"
