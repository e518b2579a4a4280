#!/usr/bin/env bash
# Embedded reference store vs FAISS (IndexFlatIP / IndexScalarQuantizer fp16), side by side on the
# same random unit vectors. Usage: bench/store-vs-faiss.sh [ROWS] [DIM]   (default 200000 768)
# Needs the .NET SDK and Debian's python3-faiss (scripts/bootstrap.sh --tools); uses /usr/bin/python3.
# Vectors, stores and JSON results land in bench/artifacts/ (git-ignored); reruns reuse them.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rows=${1:-200000}
dim=${2:-768}
artifacts=bench/artifacts
mkdir -p "$artifacts"

dotnet run -c Release --project bench/G3.Bench -- store-vs-faiss --rows "$rows" --dim "$dim" --artifacts "$artifacts" >/dev/null
/usr/bin/python3 tools/store/bench_faiss.py --rows "$rows" --dim "$dim" --artifacts "$artifacts" >/dev/null

/usr/bin/python3 - "$artifacts/embedded-${rows}x${dim}.json" "$artifacts/faiss-${rows}x${dim}.json" <<'PY'
import json, sys
ours, theirs = (json.load(open(p)) for p in sys.argv[1:3])
print(f"{ours['rows']} x {ours['dim']}, top-{ours['k']}, {ours['cores']} cores; FAISS {theirs['faiss_version']} with {theirs['omp_threads']} OpenMP threads")
print(f"{'':8} {'metric':16} {'embedded':>10} {'faiss':>10} {'ratio':>8}")
for e, f in zip(ours["results"], theirs["results"]):
    for key, label, better in (("single_p50_ms", "p50 ms", "lower"), ("single_p99_ms", "p99 ms", "lower"),
                               ("batch64_qps", "batch-64 q/s", "higher"), ("rss_mb", "RSS MB", "lower")):
        print(f"{e['element']:8} {label:16} {e[key]:>10} {f[key]:>10} {e[key] / f[key]:>7.2f}x")
    if "top10_overlap_with_embedded" in f:
        print(f"{e['element']:8} {'top-10 overlap':16} {f['top10_overlap_with_embedded']:>10}")
PY
