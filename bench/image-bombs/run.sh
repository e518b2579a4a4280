#!/usr/bin/env bash
# Service RSS under 16 concurrent maximum-size images (decompression bombs), with the decode budget
# as configured (512 MiB by default) and with it effectively off (64 GiB), side by side in one run.
# Usage: bench/image-bombs/run.sh [clients=16]   (from the repository root, after a Release build)
set -euo pipefail
clients=${1:-16}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=bench/image-bombs/results
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
g3="dotnet src/G3.Cli/bin/Release/net10.0/g3.dll"

# A small reference store from the test fixtures, indexed with the shipped model, so the service is ready.
printf 'IMG_ID,LAT,LON\nlandscape.jpg,48.8566,2.3522\nlossy.webp,-33.8688,151.2093\nrgba.png,35.68,139.69\ngray.jpg,52.52,13.405\n' > "$work/meta.csv"
$g3 index --manifest models/g3-mini/manifest.json --metadata "$work/meta.csv" --images tests/fixtures/images --report "$work/report.tsv" \
  --Store:Kind=embedded --Store:Embedded:Directory="$work/store" > "$work/index.log" 2>&1 || { cat "$work/index.log"; exit 1; }

{
  echo "date: $(date -u +%FT%TZ)"
  echo "host: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/run.txt"

for budget in 536870912 68719476736; do
  port=$((18700 + RANDOM % 200))
  $g3 serve --urls "http://127.0.0.1:$port" --Store:Kind=embedded --Store:Embedded:Directory="$work/store" \
    --FirstStart:BuildEmbeddedStore=false --Cache:Mode=Off --RateLimits:PermitsPerMinute=0 \
    --Images:DecodeBudgetBytes=$budget > "$work/serve-$budget.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break; sleep 0.5; done
  # The dotnet host execs the app in the same process, so $pid is the service itself.
  result=$(python3 bench/image-bombs/bombs.py "$port" "$pid" "$clients" 20)
  echo "decode_budget_bytes=$budget $result" | tee -a "$out/run.txt"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/run.txt"
cat "$out/run.txt"
