#!/bin/sh
# Usage: sh bench/serve.sh PATH_TO_SAYSO       (what `make bench-serve` runs)
# Serves the demo store (the bundled samples, ingested into a temporary
# store) with `sayso serve` and loads it with wrk (Debian's wrk package):
# 2 wrk threads, 32 connections, a mix of ten searches (bench/queries.lua),
# for SAYSO_BENCH_SECONDS (default 300). Prints wrk's figures (requests/s,
# latency percentiles, non-2xx answers) and the server's resident memory
# every 30 s, which should stay flat.
set -eu
sayso=${1:-}
if [ -z "$sayso" ] || [ ! -x "$sayso" ]; then
    echo "usage: sh bench/serve.sh PATH_TO_SAYSO (built)" >&2
    exit 2
fi
if ! command -v wrk >/dev/null 2>&1; then
    echo "bench: skipped: wrk is not installed (apt-get install wrk)"
    exit 0
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
seconds=${SAYSO_BENCH_SECONDS:-300}
dir=$(mktemp -d "${TMPDIR:-/tmp}/sayso-serve.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
"$sayso" ingest "$dir/demo.db" --quiet "$root"/samples/*.txt
"$sayso" serve "$dir/demo.db" --port 0 >"$dir/url" &
pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
    grep -q http "$dir/url" 2>/dev/null && break
    sleep 0.2
done
url=$(sed -n 's|.*\(http://[0-9.:]*\)/.*|\1|p' "$dir/url")
[ -n "$url" ] || { echo "bench: sayso serve did not start" >&2; exit 1; }
rss() { awk '/^VmRSS:/ { printf "%.1f MB", $2 / 1024 }' "/proc/$pid/status"; }
echo "machine: $(nproc) CPUs; sayso serve and wrk share them"
echo "server:  $url, resident $(rss) at start"
(
    t=0
    while [ "$t" -lt "$seconds" ]; do
        sleep 30
        t=$((t + 30))
        echo "  after ${t}s: resident $(rss)"
    done
) &
sampler=$!
wrk -t2 -c32 -d"${seconds}s" --latency -s "$here/queries.lua" "$url"
kill "$sampler" 2>/dev/null || true
echo "server:  resident $(rss) at the end"
