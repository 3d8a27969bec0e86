# Sourced by bench/run.sh and bench/store.sh, with "$1" the sayso binary
# and $script the caller's name: checks the arguments and sets here (this
# folder), root, build, out, src (PolNeAR's train texts, from ../shared or
# $SAYSO_SHARED), mkcorpus. Without the texts, says so and exits 0: the
# benchmarks need them, a checkout without them is not an error.
sayso=${1:-}
if [ -z "$sayso" ]; then
    echo "usage: sh bench/$script PATH_TO_SAYSO" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$(dirname "$sayso")
shared=${SAYSO_SHARED:-$root/../shared}
src=$shared/corpora/polnear/train/text
out=$here/out
mkcorpus=$build/bench/mkcorpus
if [ ! -d "$src" ]; then
    echo "bench: skipped: $src not found."
    echo "bench: the benchmark corpora are built from PolNeAR's texts, which live in ../shared beside the checkout."
    exit 0
fi
if [ ! -x "$sayso" ] || [ ! -x "$mkcorpus" ]; then
    echo "bench: $sayso or $mkcorpus is not built (run 'make' first)" >&2
    exit 2
fi
mkdir -p "$out"
