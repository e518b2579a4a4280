#!/usr/bin/env bash
# The embedded store's scan against the memory-bandwidth floor and FAISS, at 1 and 2 threads each,
# on the same random unit vectors. One command:
#   bench/store-scan.sh [ROWS] [DIM] [QUERIES]          (default 1000000 768 64)
# Writes the raw per-query results to bench/results/store-scan-ROWSxDIM.json (the store, with the
# floor measured between its queries) and bench/results/faiss-scan-ROWSxDIM.json, then prints the
# side-by-side table. Vectors, stores and the exact float64 answer are cached in bench/artifacts/.
# Needs the .NET SDK and Debian's python3-faiss (scripts/bootstrap.sh --tools). Run it on a quiet
# machine: the load average before and after is recorded in both files; quote nothing measured under load.
# On a shared machine compare the CPU-time ratio (cpu/floor), not the wall times: see bench/README.md.
# G3_BENCH_RETRIEVAL=off skips the retrieval-stage timing (two searches vs one scan) to save time.
# Afterwards `dotnet run -c Release --project bench/G3.Bench -- half-widening --rows ROWS --dim DIM`
# times the float16 kernels one by one on the same files.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rows=${1:-1000000}
dim=${2:-768}
queries=${3:-64}
workers=${G3_BENCH_WORKERS:-1,2}
retrieval=${G3_BENCH_RETRIEVAL:-on}

dotnet run -c Release --project bench/G3.Bench -- store-scan --rows "$rows" --dim "$dim" --queries "$queries" --workers "$workers" --retrieval "$retrieval"
/usr/bin/python3 tools/store/faiss_scan.py --rows "$rows" --dim "$dim" --queries "$queries" --threads "$workers"

/usr/bin/python3 - "bench/results/store-scan-${rows}x${dim}.json" "bench/results/faiss-scan-${rows}x${dim}.json" <<'PY'
import json, sys
ours, theirs = (json.load(open(p)) for p in sys.argv[1:3])
print(f"{ours['rows']} x {ours['dim']}, top-{ours['k']}, {ours['cores']} cores; FAISS {theirs['faiss_version']}")
print(f"load average: store run {ours['load_average_before']} -> {ours['load_average_after']}, "
      f"FAISS run {theirs['load_average_before']} -> {theirs['load_average_after']}")
faiss = {(r["element"], r["threads"]): r for r in theirs["runs"]}
print(f"{'element':8} {'thr':>3} {'store p50':>9} {'min':>7} {'floor p50':>9} {'p50/floor':>9} {'cpu/floor':>9} {'faiss p50':>9} {'min':>7} "
      f"{'store/faiss':>11} {'b64 store':>9} {'b64 faiss':>9} {'recall s/f':>11}")
for r in ours["runs"]:
    f = faiss.get((r["element"], r["workers"]))
    fp50 = f["single_p50_ms"] if f else float("nan")
    print(f"{r['element']:8} {r['workers']:>3} {r['single_p50_ms']:>9} {r['single_min_ms']:>7} {r['floor_p50_ms']:>9} "
          f"{r['p50_over_floor']:>9} {r.get('cpu_p50_over_floor', ''):>9} {fp50:>9} {f['single_min_ms'] if f else '':>7} {r['single_p50_ms'] / fp50:>10.2f}x "
          f"{r['batch64_qps']:>9} {f['batch64_qps'] if f else '':>9} {r['top10_exact_recall']}/{f['top10_exact_recall'] if f else ''}")
print("retrieval stage (15 similar + 15 dissimilar), p50 ms: two searches side by side -> one scan")
for r in ours["runs"]:
    print(f"  {r['element']:8} {r['workers']} workers: {r['retrieval_two_scans_p50_ms']} -> {r['retrieval_one_scan_p50_ms']}")
PY
