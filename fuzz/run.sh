#!/bin/sh
# Usage: sh fuzz/run.sh BUILD_DIR [SECONDS]      (what `make fuzz` runs)
# Runs each libFuzzer target of BUILD_DIR/fuzz for SECONDS (default 120),
# one after the other on one core, starting from the seeds of fuzz/seeds/
# copied into BUILD_DIR/fuzz/corpus/ (the corpus grows there, the seeds in
# the repository stay as written). A crash stops the run and leaves its
# input as BUILD_DIR/fuzz/crash-*; otherwise prints, per target, the
# executions, the coverage (edges) and the corpus size at the end.
# SAYSO_FUZZ_TARGETS="html warc" runs only those.
set -eu
build=$(cd "${1:?usage: sh fuzz/run.sh BUILD_DIR [SECONDS]}" && pwd)
secs=${2:-120}
here=$(cd "$(dirname "$0")" && pwd)
out=$build/fuzz
for t in ${SAYSO_FUZZ_TARGETS:-text jsonl html warc extract}; do
    bin=$out/fuzz_$t
    if [ ! -x "$bin" ]; then
        echo "fuzz: $bin is not built" >&2
        exit 2
    fi
    corpus=$out/corpus/$t
    mkdir -p "$corpus"
    cp -n "$here"/seeds/$t/* "$corpus"/ 2>/dev/null || true
    log=$out/fuzz_$t.log
    if ! (cd "$out" && ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$secs" -timeout=30 -rss_limit_mb=2048 \
            -max_len=65536 -print_final_stats=1 "$corpus" >"$log" 2>&1); then
        echo "fuzz_$t: FAILED, see $log"
        grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -n 5
        exit 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/\1 edges, \2 features, \3 inputs/p')
    echo "fuzz_$t: $runs executions in ${secs}s, $cov"
done
