#!/bin/sh
# Usage: sh bench/store.sh PATH_TO_SAYSO         (what `make bench-store` runs)
# Measures the quote store with <build>/bench/storebench:
#   1. ingest speed, extraction included, on one thread and on two:
#      `sayso ingest` into a new store from the 10 MB corpus of `make bench` (PolNeAR train texts
#      repeated: every quotation comes back word for word), with the models
#      and with --rules-only, and from a 100 MB corpus whose repeats are
#      varied (new dates, about one word in sixteen swapped: quotations come
#      back edited, as outlets re-report) with --rules-only, where the
#      store's own work shows;
#   2. a store of at least a million quotations, built once with
#      --rules-only (the store's speed does not depend on how its quotations
#      were found, and the models would take half an hour) from a varied
#      corpus of SAYSO_BENCH_BIG_MB (default 2000) MB under bench/out/ and
#      kept (delete bench/out/store-big.db to rebuild it);
#   3. search latency on it: 200 queries of each of six kinds.
set -eu

script=store.sh
. "$(dirname "$0")/common.sh"
storebench=$build/bench/storebench
if [ ! -x "$storebench" ]; then
    echo "bench: $storebench is not built (run 'make' first)" >&2
    exit 2
fi
big_mb=${SAYSO_BENCH_BIG_MB:-2000}
[ -s "$out/polnear-10MB.jsonl" ] || "$mkcorpus" "$src" "$out/polnear-10MB.jsonl" 10
[ -s "$out/polnear-vary-100MB.jsonl" ] || "$mkcorpus" --vary "$src" "$out/polnear-vary-100MB.jsonl" 100

cpus=$(nproc 2>/dev/null || echo '?')
model=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "machine: ${model:-unknown CPU}, $cpus CPUs, $(uname -sr); store on $(df -P "$out" | awk 'NR==2 { print $1 }')"
echo

# One thread (the figure per core), then two: reading and extracting on a
# second thread while the first one stores (sayso ingest --threads 2).
threads="1"
[ "$cpus" != '?' ] && [ "$cpus" -gt 1 ] && threads="1 2"
db=$out/ingest.db
for run in "polnear-10MB" "polnear-10MB --rules-only" "polnear-vary-100MB --rules-only"; do
    set -- $run
    for t in $threads; do
        rm -f "$db" "$db-wal" "$db-shm"
        "$storebench" ingest "$sayso" "$db" "$out/$1.jsonl" "$t" ${2:+"$2"}
    done
done
rm -f "$db" "$db-wal" "$db-shm"

big=$out/store-big.db
if [ -s "$big" ]; then
    # A store of an older schema is migrated in place (seconds), not rebuilt.
    empty=$out/empty.jsonl
    : >"$empty"
    "$sayso" ingest "$big" --quiet "$empty" || true
    rm -f "$empty"
fi
if [ ! -s "$big" ] || ! "$sayso" stats "$big" >/dev/null 2>&1; then
    rm -f "$big" "$big-wal" "$big-shm"
    corpus=$out/polnear-vary-${big_mb}MB.jsonl
    [ -s "$corpus" ] || "$mkcorpus" --vary "$src" "$corpus" "$big_mb"
    echo "building $big (several minutes) ..."
    "$storebench" ingest "$sayso" "$big" "$corpus" "${threads##* }" --rules-only
fi
echo
"$storebench" search "$big" "${SAYSO_BENCH_QUERIES:-200}"
