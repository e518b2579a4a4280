#!/usr/bin/env bash
# A 600-call run through a provider's pipeline against a stub that answers 429 past 120 requests in any 60 s, with
# Lmm:Providers:NAME:RequestsPerMinute=120 (must see no 429, in about 600/120 = 5 min), then the same calls without the
# limiter and without retries (the control: how many 429s pacing avoids). Mostly idle waiting; about 5 to 6 minutes.
# Usage: bench/rate-limit.sh [CALLS] [LIMIT] [WORKERS]   (default 600 120 16). The JSON goes to bench/results/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
calls=${1:-600}
limit=${2:-120}
workers=${3:-16}
mkdir -p bench/results
out="bench/results/rate-limit-${calls}x${limit}rpm-$(date -u +%Y%m%dT%H%MZ).json"
dotnet build -c Release -nologo -v q bench/G3.Bench
nice dotnet run -c Release --no-build --project bench/G3.Bench -- rate-limit --calls "$calls" --limit "$limit" --workers "$workers" > "$out"
cat "$out"
