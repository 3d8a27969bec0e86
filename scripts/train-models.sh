#!/bin/sh
# Usage: sh scripts/train-models.sh PATH_TO_SAYSO     (what `make model` runs)
# Retrains the models in models/ from the data in ../shared:
#   tagger.model, parser.model  from the UD English Web Treebank (train; dev for scores)
#   entities.model              from CoreNLP's named-entity labels on PolNeAR
#                               (train/corenlp-tokens; dev for scores)
#   attribution.model           from PolNeAR (train; dev for scores), analysed
#                               with the new syntax models
# Training is deterministic: on the same data this reproduces the committed
# files byte for byte (git status shows no change to models/). Then `make`
# compiles the new models into the library.
set -eu
sayso=${1:?usage: sh scripts/train-models.sh PATH_TO_SAYSO}
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SAYSO_SHARED:-$root/../shared}
ewt=$shared/corpora/ud-ewt
polnear=$shared/corpora/polnear
for f in "$ewt/train.conllu" "$ewt/dev.conllu" "$polnear/train" "$polnear/dev"; do
    if [ ! -e "$f" ]; then
        echo "model: $f not found: the models are trained from ../shared beside the checkout" >&2
        exit 2
    fi
done
out=$root/models
mkdir -p "$out"
echo "== syntax: $ewt"
"$sayso" train syntax "$ewt/train.conllu" --dev "$ewt/dev.conllu" --out "$out"
echo "== entities: $polnear (CoreNLP tokens)"
"$sayso" train entities "$polnear/train" --dev "$polnear/dev" --out "$out"
echo "== attribution: $polnear"
"$sayso" train attribution "$polnear/train" --dev "$polnear/dev" --models "$out" --out "$out"
ls -l "$out"/*.model
