#!/bin/sh
# Usage: sh bench/warc.sh PATH_TO_SAYSO          (what `make bench-warc` runs)
# Web crawls: builds (once) WARC files under bench/out/ from the Readability
# test pages in ../shared (corpora/web/readability/pages/*/source.html),
# each page an HTTP response record in a gzip member of its own, as Common
# Crawl writes them, with a request and a metadata record beside it; the
# small crawl holds every page once, the big one ten times (other urls).
# Then times `sayso read` and `sayso extract` on both, on one thread and
# on two: MB of HTML a second and peak RSS, which should not grow with the
# size of the crawl. Set SAYSO_BENCH_RUNS=N to keep the fastest of N runs.
set -eu
sayso=${1:-}
if [ -z "$sayso" ] || [ ! -x "$sayso" ]; then
    echo "usage: sh bench/warc.sh PATH_TO_SAYSO (built)" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
shared=${SAYSO_SHARED:-$root/../shared}
pages=$shared/corpora/web/readability/pages
out=$here/out
if [ ! -d "$pages" ]; then
    echo "bench: skipped: $pages not found (the pages live in ../shared beside the checkout)."
    exit 0
fi
mkdir -p "$out"

# One crawl of every page, COPIES times; prints nothing, writes $2.
build_crawl() {
    copies=$1 dest=$2 tmp=$2.tmp
    : >"$tmp"
    c=0
    while [ "$c" -lt "$copies" ]; do
        for f in "$pages"/*/source.html; do
            name=$(basename "$(dirname "$f")")
            uri="https://pages.example/$c/$name"
            len=$(wc -c <"$f")
            hdr=$(printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n')
            hlen=$(printf '%s\r\n\r\n' "$hdr" | wc -c)
            req="GET /$c/$name HTTP/1.1\r\nHost: pages.example\r\n\r\n"
            rlen=$(printf "$req" | wc -c)
            { printf 'WARC/1.1\r\nWARC-Type: request\r\nWARC-Target-URI: %s\r\nWARC-Date: 2024-01-02T03:04:05Z\r\nContent-Type: application/http; msgtype=request\r\nContent-Length: %d\r\n\r\n' "$uri" "$rlen"
              printf "$req"; printf '\r\n\r\n'; } | gzip -c >>"$tmp"
            { printf 'WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\nWARC-Date: 2024-01-02T03:04:05Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n' "$uri" $((hlen + len))
              printf '%s\r\n\r\n' "$hdr"; cat "$f"; printf '\r\n\r\n'; } | gzip -c >>"$tmp"
            { printf 'WARC/1.1\r\nWARC-Type: metadata\r\nWARC-Target-URI: %s\r\nWARC-Date: 2024-01-02T03:04:05Z\r\nContent-Type: application/warc-fields\r\nContent-Length: 16\r\n\r\nfetchTimeMs: 42\n\r\n\r\n' "$uri"; } | gzip -c >>"$tmp"
        done
        c=$((c + 1))
    done
    mv "$tmp" "$dest"
}

small=$out/readability-1x.warc.gz
big=$out/readability-10x.warc.gz
[ -s "$small" ] || { echo "bench: building $small ..."; build_crawl 1 "$small"; }
[ -s "$big" ] || { echo "bench: building $big ..."; build_crawl 10 "$big"; }
html_bytes=$(cat "$pages"/*/source.html | wc -c)

cpus=$(nproc 2>/dev/null || echo '?')
model=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "machine: ${model:-unknown CPU}, $cpus CPUs, $(uname -sr)"
echo "crawls:  $(basename "$small") ($(du -k "$small" | cut -f1) KB, $((html_bytes / 1000)) kB of HTML), $(basename "$big") (10x)"
echo

# Times one command on a crawl: the fastest of the runs, its largest RSS.
measure() {
    crawl=$1 copies=$2
    shift 2
    best="" rss=0
    r=0
    while [ "$r" -lt "${SAYSO_BENCH_RUNS:-1}" ]; do
        /usr/bin/time -f '%e %M' -o "$out/warc.time" "$@" "$crawl" >/dev/null 2>"$out/warc.stderr" || true
        secs=$(cut -d' ' -f1 "$out/warc.time" | tail -n 1)
        kb=$(cut -d' ' -f2 "$out/warc.time" | tail -n 1)
        if [ -z "$best" ] || [ "$(echo "$secs < $best" | bc)" = 1 ]; then best=$secs; fi
        [ "$kb" -gt "$rss" ] && rss=$kb
        r=$((r + 1))
    done
    mb=$(echo "scale=2; $html_bytes * $copies / 1000000" | bc)
    printf '%-30s %8s MB %8s s %8s MB/s %8s MB RSS\n' "$(basename "$crawl")" "$mb" "$best" \
        "$(echo "scale=1; $mb / $best" | bc)" "$((rss / 1024))"
}

for cmd in read extract "extract --rules-only"; do
    for t in 1 2; do
        echo "== sayso $cmd --threads $t"
        # shellcheck disable=SC2086
        measure "$small" 1 "$sayso" $cmd --threads $t
        # shellcheck disable=SC2086
        measure "$big" 10 "$sayso" $cmd --threads $t
    done
done
tail -n 1 "$out/warc.stderr"
