#!/usr/bin/env bash
# Prepares the GPU bundle for a GPU machine lent for minutes, reached only through calls that each carry
# the working tree plus at most 64 MiB, with no .NET and no internet there (docs/gpu.md, "A GPU lent for
# minutes"). Splits the bundle into parts of at most 45 MB under artifacts/gpu-run/ (git-ignored) and
# prints the exact calls: one per part (each copies its part to /tmp, which survives while the machine
# stays warm), then the one that reassembles the parts, checks them and runs g3/gpu-check, then (optional)
# the ViT-L/14-shaped export and a second check that includes it.
#
#   scripts/gpu-run.sh                     build the GPU bundle (scripts/gpu-bundle.sh), split it, print the calls
#   scripts/gpu-run.sh --archive FILE      split an existing bundle archive instead
#   scripts/gpu-run.sh --part-mb N         part size in MB (default 45, at most 45)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
archive=""
part_mb=45
while [ $# -gt 0 ]; do
  case "$1" in
    --archive) [ $# -ge 2 ] || { echo "gpu-run: --archive needs a file" >&2; exit 2; }; archive=$2; shift ;;
    --part-mb) [ $# -ge 2 ] || { echo "gpu-run: --part-mb needs a number" >&2; exit 2; }; part_mb=$2; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "gpu-run: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $part_mb =~ ^[1-9][0-9]*$ ]] && [ "$part_mb" -le 45 ] || { echo "gpu-run: --part-mb must be a whole number from 1 to 45, not '$part_mb'" >&2; exit 2; }

if [ -z "$archive" ]; then
  "$root/scripts/gpu-bundle.sh"
  archive="$root/artifacts/gpu-bundle/g3-gpu-linux-x64.tar.gz"
fi
[ -f "$archive" ] || { echo "gpu-run: no archive at $archive" >&2; exit 1; }

# Parts live in a git-ignored folder of the checkout, so each call can carry exactly one of them.
rel=artifacts/gpu-run
parts="$root/$rel"
rm -rf "$parts"
mkdir -p "$parts"
split -b "$((part_mb * 1000000))" -d -a 2 "$archive" "$parts/g3.tar.gz.part-"
sum=$(sha256sum "$archive" | cut -d' ' -f1)
names=("$parts"/g3.tar.gz.part-*)

echo "gpu-run: $(basename "$archive") ($(du -h "$archive" | cut -f1), sha256 $sum) in ${#names[@]} parts of at most ${part_mb} MB under $rel/"
echo
echo "Device calls, in this order, on one warm machine (no kind named: an H100 or H200 both serve):"
i=1
for part in "${names[@]}"; do
  name=$(basename "$part")
  echo
  echo "$i. carry: [\"$rel/$name\"]"
  echo "   command: mkdir -p /tmp/g3-parts && cp $rel/$name /tmp/g3-parts/ && ls -l /tmp/g3-parts"
  i=$((i+1))
done
echo
echo "$i. command (reassemble, check the sum, unpack, run the check on the bundled model):"
echo "   cd /tmp && cat /tmp/g3-parts/g3.tar.gz.part-* > g3.tar.gz && echo '$sum  g3.tar.gz' | sha256sum -c - && rm -rf g3 && tar -xzf g3.tar.gz && DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 g3/gpu-check --out \$OUT/gpu-check.json"
echo
echo "$((i+1)). command, if device time is left (the ViT-L/14-shaped export needs python3 with torch and onnx there; it says so if not):"
echo "   cd /tmp && timeout 400 g3/export-vitl14.sh && DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 g3/gpu-check --out \$OUT/gpu-check-vitl14.json"
echo
echo "Each check prints its table at the end of its call; its JSON comes back in the call's files. Paste both into"
echo "bench/README.md (\"GPU\") with the date and the device the reply names. If a part's copy is lost (the machine"
echo "went back between calls), /tmp is empty again: start over from call 1."
