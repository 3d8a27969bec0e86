#!/bin/sh
# Usage: sh samples/demo.sh PATH_TO_SAYSO
# Runs `sayso extract --format text`, then `--format speakers`, on the
# bundled sample articles (all are original texts with invented people;
# 05 and 06 re-report words from 01 and 02, trimmed, edited, with other
# quotation marks, once with another speaker), then ingests them into a
# store in a temporary directory and asks it what a user would.
set -u

sayso=${1:-}
if [ -z "$sayso" ]; then
    echo "usage: sh samples/demo.sh PATH_TO_SAYSO" >&2
    exit 2
fi
if [ ! -x "$sayso" ]; then
    echo "demo: $sayso is not an executable (run 'make' first)" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
set -- "$here"/*.txt
if [ ! -f "$1" ]; then
    echo "demo: no sample articles in $here" >&2
    exit 1
fi

rule='------------------------------------------------------------------------'
echo "$rule"
echo "sayso demo: quotations in $# sample articles"
for f in "$@"; do
    printf '  %-28s %5s words\n' "$(basename "$f")" "$(wc -w < "$f" | tr -d ' ')"
done
echo "$rule"
echo

# Output goes through a temporary file (POSIX sh has no pipefail) and gets a
# blank line before each article's header line ("# name (date)").
dir=$(mktemp -d "${TMPDIR:-/tmp}/sayso-demo.XXXXXX") || exit 1
tmp=$dir/out
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM
"$sayso" extract --format text "$@" >"$tmp"
status=$?
awk 'NR > 1 && /^# / { print "" } { print }' "$tmp"
if [ "$status" -ne 0 ]; then
    echo "demo: sayso extract failed (exit status $status)" >&2
    exit "$status"
fi

# Per article, who was quoted, how the article describes them, and where.
echo
echo "$rule"
echo "who was quoted: sayso extract --format speakers"
echo "$rule"
"$sayso" extract --format speakers "$@" >"$tmp" || exit $?
awk 'NR > 1 && /^# / { print "" } { print }' "$tmp"

# The JSON form has one line per quotation: count them for the summary.
n=$("$sayso" extract --format json "$@" | wc -l | tr -d ' ')
echo
echo "$rule"
echo "$n quotations in $# articles; for JSON lines: $sayso extract samples/*.txt"
echo "$rule"

# The store: the same articles in, then questions. Each step prints the
# command it runs.
db=$dir/demo.db
step() {
    # Show the command as one would type it: short paths, quoted words.
    line='$ sayso'
    for a in "$@"; do
        case $a in
            "$db") a=demo.db ;;
            "$here"/*) a=samples/${a#"$here"/} ;;
        esac
        case $a in
            *[!A-Za-z0-9_./:-]*) a="'$a'" ;;
        esac
        line="$line $a"
    done
    echo
    echo "$line"
    "$sayso" "$@"
    status=$?
    # search exits 1 when nothing matched: a result, not a failure
    if [ "$status" -gt 1 ]; then
        echo "demo: sayso $1 failed (exit status $status)" >&2
        exit "$status"
    fi
}
echo
echo "$rule"
echo "the store: one quotation, many reports"
echo "$rule"
step ingest "$db" "$@"
step search "$db" 'bridge' --limit 3
step search "$db" '"simply staff"'
step search "$db" 'sleep*'
step search "$db" 'insufferable' --speaker 'MARCUS DALE' --from 2023-04 --to 2023-04
step speakers "$db" --top 5
id=$("$sayso" search "$db" 'roads wait' --format json | sed -n 's/^{"id": *\([0-9]*\).*/\1/p' | head -n 1)
if [ -n "$id" ]; then
    step quote "$db" "$id"
fi
step stats "$db"
