#!/bin/sh
# Usage: sh bench/serve.sh PATH_TO_SAYSO       (what `make bench-serve` runs)
# Serves a store with `sayso serve` and loads it with <build>/bench/servebench
# on a mix of requests drawn from the store itself (storebench paths):
# searches (one word, a phrase, a prefix, a speaker filter, a month filter,
# page 2), autocomplete on a speaker's first letters, a speaker page, an
# article page and stats, in turn. Two stores: the demo store (the bundled
# samples, ingested into a temporary store) and, when `make bench-store`
# has built it, bench/out/store-big.db (migrated in place first if it is
# of an older schema). For each:
#   1. one request at a time (1 connection, SAYSO_BENCH_ONE seconds,
#      default 20): each kind's latency alone;
#   2. mixed load (32 connections, SAYSO_BENCH_SECONDS, default 60):
#      requests/s, p50/p95/p99 per kind, answers other than 200 and
#      timeouts, and the server's resident memory every 10 s (all of it,
#      and the private part: RssAnon; the rest is the shared map of the
#      store, which the OS can take back).
# The server and the load share the machine's CPUs.
set -eu
sayso=${1:-}
if [ -z "$sayso" ] || [ ! -x "$sayso" ]; then
    echo "usage: sh bench/serve.sh PATH_TO_SAYSO (built)" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$(dirname "$sayso")
storebench=$build/bench/storebench
servebench=$build/bench/servebench
if [ ! -x "$storebench" ] || [ ! -x "$servebench" ]; then
    echo "bench: $storebench or $servebench is not built (run 'make' first)" >&2
    exit 2
fi
one=${SAYSO_BENCH_ONE:-20}
seconds=${SAYSO_BENCH_SECONDS:-60}
dir=$(mktemp -d "${TMPDIR:-/tmp}/sayso-serve.XXXXXX")
pid=
sampler=
trap '[ -n "$sampler" ] && kill "$sampler" 2>/dev/null; [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT

mem() {
    awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 }
         END { printf "resident %.1f MB, private %.1f MB", r / 1024, a / 1024 }' "/proc/$pid/status"
}

bench_store() {
    store=$1
    echo "== $store ($(du -h "$store" | cut -f1))"
    "$storebench" paths "$store" 2000 >"$dir/paths" || { echo "bench: cannot draw requests from $store" >&2; exit 1; }
    "$sayso" serve "$store" --port 0 >"$dir/url" 2>"$dir/err" &
    pid=$!
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        grep -q http "$dir/url" 2>/dev/null && break
        sleep 0.25
    done
    addr=$(sed -n 's|.*http://\([0-9.:]*\)/.*|\1|p' "$dir/url")
    [ -n "$addr" ] || { echo "bench: sayso serve did not start: $(cat "$dir/err")" >&2; exit 1; }
    echo "server:  $addr, $(mem) at start"
    "$servebench" "$addr" "$dir/paths" 8 5 >/dev/null # warm-up: the first reads come from disk
    echo "one request at a time (1 connection, ${one} s):"
    "$servebench" "$addr" "$dir/paths" 1 "$one"
    echo "mixed load (32 connections, ${seconds} s):"
    (
        t=0
        while :; do
            sleep 10
            t=$((t + 10))
            echo "  after ${t}s: $(mem)" >>"$dir/mem"
        done
    ) &
    sampler=$!
    : >"$dir/mem"
    "$servebench" "$addr" "$dir/paths" 32 "$seconds"
    kill "$sampler" 2>/dev/null || true
    sampler=
    cat "$dir/mem"
    echo "server:  $(mem) at the end"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
    echo
}

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); sayso serve and the load share them"
"$sayso" ingest "$dir/demo.db" --quiet "$root"/samples/*.txt
bench_store "$dir/demo.db"
big=$here/out/store-big.db
if [ -s "$big" ]; then
    : >"$dir/empty.jsonl"
    "$sayso" ingest "$big" --quiet "$dir/empty.jsonl" # migrates a store of an older schema, once
    bench_store "$big"
else
    echo "bench: $big not found: 'make bench-store' builds it (minutes); only the demo store was measured"
fi
