#!/bin/sh
# Usage: sh bench/run.sh PATH_TO_SAYSO        (what `make bench` runs)
# Builds (once) 10 MB and 100 MB JSONL corpora from PolNeAR's training texts
# in ../shared under bench/out/, then times `sayso extract` on both with
# <build>/bench/bench: throughput, and peak RSS, which should not grow with
# the size of the input, with the models and with the rules alone, on one
# thread and on two (--threads; the output is the same). Set
# SAYSO_BENCH_RUNS=N to keep the fastest of N runs.
set -eu

script=run.sh
. "$(dirname "$0")/common.sh"
bench=$build/bench/bench
if [ ! -x "$bench" ]; then
    echo "bench: $bench is not built (run 'make' first)" >&2
    exit 2
fi

for mb in 10 100; do
    corpus=$out/polnear-${mb}MB.jsonl
    if [ ! -s "$corpus" ]; then
        echo "bench: building $corpus ..."
        "$mkcorpus" "$src" "$corpus" "$mb"
    fi
done

cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
model=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GB RAM", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
echo "machine: ${model:-unknown CPU}, $cpus CPUs${mem:+, $mem}, $(uname -sr)"
echo "sayso:   $sayso (one process; stdout counted, one line per quote)"
echo

runs=${SAYSO_BENCH_RUNS:-1}
echo "== with the models (the default): tagger, parser, attribution model; one thread"
"$bench" -r "$runs" -x --threads=1 "$sayso" "$out/polnear-10MB.jsonl" "$out/polnear-100MB.jsonl"
echo
echo "== with the models, two threads (--threads 2)"
"$bench" -r "$runs" -x --threads=2 "$sayso" "$out/polnear-10MB.jsonl" "$out/polnear-100MB.jsonl"
echo
echo "== --rules-only: quotations in quotation marks and the clearest reported speech; one thread"
"$bench" -r "$runs" -x --rules-only -x --threads=1 "$sayso" "$out/polnear-10MB.jsonl" "$out/polnear-100MB.jsonl"
echo
echo "== --rules-only, two threads"
"$bench" -r "$runs" -x --rules-only -x --threads=2 "$sayso" "$out/polnear-10MB.jsonl" "$out/polnear-100MB.jsonl"
