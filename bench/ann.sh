#!/usr/bin/env bash
# Exact scan vs the embedded store's HNSW index (Store:Embedded:Index=hnsw: USearch graph + cells) vs FAISS
# IndexHNSWFlat, side by side
# on the same clustered unit vectors. Usage: bench/ann.sh [ROWS] [FAISS_ROWS] [DIM]   (default 200000 20000 768)
# FAISS indexes only the first FAISS_ROWS vectors: Debian builds it generic (no AVX2), so at full size its build
# takes hours. Needs the .NET SDK and Debian's python3-faiss (scripts/bootstrap.sh --tools); uses /usr/bin/python3.
# Vectors, stores and indexes land in bench/artifacts/ (git-ignored); the JSON goes to bench/results/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rows=${1:-200000}
faiss_rows=${2:-20000}
dim=${3:-768}
artifacts=bench/artifacts
results=bench/results
mkdir -p "$artifacts" "$results"
stamp=$(date -u +%Y%m%dT%H%MZ)

dotnet run -c Release --project bench/G3.Bench -- ann --rows "$rows" --dim "$dim" --threads 1,2 --artifacts "$artifacts" \
  > "$results/ann-usearch-${rows}x${dim}-${stamp}.json"
/usr/bin/python3 tools/store/bench_faiss_hnsw.py --rows "$faiss_rows" --source-rows "$rows" --dim "$dim" --artifacts "$artifacts" \
  > "$results/ann-faiss-${faiss_rows}x${dim}-${stamp}.json"

/usr/bin/python3 - "$results/ann-usearch-${rows}x${dim}-${stamp}.json" "$results/ann-faiss-${faiss_rows}x${dim}-${stamp}.json" <<'PY'
import json, sys
ours, theirs = (json.load(open(p)) for p in sys.argv[1:3])
print(f"USearch {ours['usearch']}: {ours['rows']} x {ours['dim']}; FAISS {theirs['faiss_version']} ({theirs['compile_options'].strip()}): {theirs['rows']} x {theirs['dim']}")
print(f"load average before/after: ours {ours['load_before']} / {ours['load_after']}, faiss {theirs['load_before']} / {theirs['load_after']}")
for name, data in (("usearch", ours), ("faiss", theirs)):
    for b in data["builds"]:
        print(f"build {name:8} {b['threads']} thread(s): {b['seconds']} s, {b['vectors_per_s']} vectors/s")
e = ours["exact"]
print(f"{'engine':16} {'ef':>4} {'p50 ms':>8} {'p99 ms':>8} {'rec@10 most':>12} {'rec@10 least':>13} {'least gap':>10}")
print(f"{'exact':16} {'':>4} {e['p50_ms']:>8} {e['p99_ms']:>8} {1.0:>12} {1.0:>13} {0.0:>10}")
for r in ours["hnsw_search"] + theirs["hnsw_search"]:
    print(f"{r['engine']:16} {r['ef_search']:>4} {r['p50_ms']:>8} {r['p99_ms']:>8} {r['recall10_most']:>12} {r['recall10_least']:>13} {r['least_mean_similarity_gap']:>10}")
PY
