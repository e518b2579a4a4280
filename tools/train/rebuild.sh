#!/usr/bin/env bash
# Rebuilds g3-mini's GPS head, its calibrations and its OOD classifier from the recipe, then checks the
# result against the shipped model (models/g3-mini): the same photo counts, the same frozen weights, and
# the validation evaluation within the tolerance tools/train/check_rebuild.py states.
#
#   tools/train/rebuild.sh [OUT]      # OUT defaults to data/rebuild (git-ignored); about an hour on two idle CPU cores
#
# Run by hand, never in CI. Needs scripts/bootstrap.sh --tools (Debian's torch and onnx). The shipped
# files are only read: the rebuilt model lands in OUT/model, so the two can be compared and nothing is
# replaced unless a person decides to.
#
# The recipe (model card, "Rebuild"):
#   frozen parts   models/g3-mini/image.onnx (trunk, retrieval head) and location.onnx (onnx_base.py)
#   gallery        the seed-1 world's 20,000 database photos (train)
#   extra photos   the first 20,000 query photos of seeds 3, 4 and 5 and the first 25,000 of seeds 6 and 7
#                  (train; `g3 synth` is prefix-stable, so --queries N gives the first N of a larger split)
#                  = 130,000 training photos with the database
#   validation     the seed-2 query split (2,000 photos: monitoring, the consensus grid, calibrations, OOD
#                  fit) and the seed-1 query split (1,000 photos: the accuracy table)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
out=${1:-data/rebuild}
case "$out" in -*) echo "usage: tools/train/rebuild.sh [OUT]" >&2; exit 2 ;; esac
mkdir -p "$out"
g3="dotnet src/G3.Cli/bin/Release/net10.0/g3.dll"
shipped=models/g3-mini
start=$(date +%s)
stage() { printf '[rebuild %5ds] %s\n' "$(( $(date +%s) - start ))" "$*"; }

stage "build"
dotnet build src/G3.Cli -c Release -nologo -v q

synth() {  # seed, database photos, query photos, folder: skipped when a finished world of that size is there
  local dir=$4
  if [ -f "$dir/world.json" ] && [ "$(/usr/bin/python3 -c "import json,sys; w=json.load(open(sys.argv[1])); print(w['database']['count'], w['queries']['count'])" "$dir/world.json")" = "$2 $3" ]; then
    stage "world seed $1 present"
    return
  fi
  rm -rf "$dir"
  stage "synth seed $1: $2 database + $3 query photos"
  $g3 synth --seed "$1" --database "$2" --queries "$3" --out "$dir" >/dev/null
}
synth 1 20000 1000 "$out/world"
synth 2 1 2000 "$out/heldout"
extra=()
for s in 3 4 5 6 7; do
  n=25000; [ "$s" -le 5 ] && n=20000
  synth "$s" 1 "$n" "$out/gps-head/seed$s"
  extra+=("$out/gps-head/seed$s")
done

mkdir -p "$out/model"
# The manifest names its card, which must sit beside it; the card is the shipped one (the rebuild documents nothing new).
cp "$shipped"/manifest.json "$shipped"/MODEL_CARD.md "$shipped"/location.onnx "$shipped"/text.onnx "$shipped"/vocab.json \
  "$shipped"/merges.txt "$out/model/"
# The training log is written after image.onnx, last: with it there, training finished and is not repeated.
if [ -f "$out/model/gps-head-training-log.json" ] && [ -f "$out/model/image.onnx" ]; then
  stage "GPS head already trained ($out/model/gps-head-training-log.json)"
else
  stage "train the GPS head"
  # 38.28876876831055: the v2 checkpoint's learned image<->GPS scale (the manifest rounds it to 38.2888).
  /usr/bin/python3 tools/train/train_gps_head.py --base-onnx "$shipped" --logit-scale 38.28876876831055 \
    --world "$out/world" --heldout "$out/heldout" --out "$out/model" --threads 2 \
    --extra "$(IFS=,; echo "${extra[*]}")"
fi

stage "index the database with the rebuilt model"
rm -rf "$out/store"
$g3 index --manifest "$out/model/manifest.json" --metadata "$out/world/mp16pro/metadata.csv" \
  --images "$out/world/mp16pro/images" --Store:Embedded:Directory="$out/store" >/dev/null

stage "calibrate (consensus grid, confidence, levels, OOD) on the seed-2 validation photos"
dotnet run tools/train/Calibrate.cs -- --manifest "$out/model/manifest.json" --heldout "$out/heldout" \
  --world "$out/world" --store "$out/store" > "$out/model/calibration-report.txt"

stage "measure the K = 0 table on the seed-1 query split (validation)"
dotnet run tools/train/MeasureAccuracy.cs -- --manifest "$out/model/manifest.json" \
  --world "$out/world" --store "$out/store" > "$out/model/accuracy-k0.txt"

stage "compare with the shipped model"
/usr/bin/python3 tools/train/check_rebuild.py --shipped "$shipped" --rebuilt "$out/model"
stage "done"
