#!/usr/bin/python3
"""FAISS half of bench/store-vs-faiss.sh: the same measurements as the embedded store's runner.

Reads the vectors and queries the C# runner wrote to bench/artifacts/ (float32, row-major), builds
FAISS's exact inner-product indexes (IndexFlatIP for float32, IndexScalarQuantizer QT_fp16 for
float16), and measures top-10 single-query latency p50/p99, batch-64 throughput and resident memory.
Run with Debian's interpreter and faiss (python3-faiss): /usr/bin/python3 tools/store/bench_faiss.py
"""
import argparse
import json
import os
import time

import faiss
import numpy as np

K = 10
BATCH = 64


def rss_mb():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def percentile(sorted_values, p):
    index = min(len(sorted_values) - 1, max(0, int(np.ceil(p * len(sorted_values))) - 1))
    return sorted_values[index]


def measure(index, element, queries, singles, artifacts):
    for i in range(3):  # warm up
        index.search(queries[i:i + 1], K)
    latencies = []
    for i in range(min(singles, len(queries))):
        start = time.perf_counter()
        index.search(queries[i:i + 1], K)
        latencies.append((time.perf_counter() - start) * 1000.0)
    latencies.sort()

    batches = len(queries) // BATCH
    first_batch_rows = None
    start = time.perf_counter()
    for b in range(batches):
        _, rows = index.search(queries[b * BATCH:(b + 1) * BATCH], K)
        if b == 0:
            first_batch_rows = rows
    batch_seconds = time.perf_counter() - start

    result = {
        "element": element,
        "single_p50_ms": round(percentile(latencies, 0.50), 3),
        "single_p99_ms": round(percentile(latencies, 0.99), 3),
        "single_queries": len(latencies),
        "batch64_qps": round(batches * BATCH / batch_seconds, 1),
        "batch64_queries": batches * BATCH,
        "rss_mb": round(rss_mb(), 1),
    }
    # Agreement with the embedded store on the first batch (same vectors, same queries).
    embedded = os.path.join(artifacts, f"embedded-top10-{element}.i32")
    if os.path.exists(embedded) and first_batch_rows is not None:
        theirs = np.fromfile(embedded, dtype=np.int32).reshape(-1, K)
        n = min(len(theirs), len(first_batch_rows))
        same = sum(len(set(theirs[i]) & set(first_batch_rows[i])) for i in range(n))
        result["top10_overlap_with_embedded"] = round(same / (n * K), 4)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--dim", type=int, default=768)
    parser.add_argument("--queries", type=int, default=256)
    parser.add_argument("--single", type=int, default=100)
    parser.add_argument("--artifacts", default=os.path.join("bench", "artifacts"))
    args = parser.parse_args()

    vectors_path = os.path.join(args.artifacts, f"vectors-{args.rows}x{args.dim}.f32")
    queries_path = os.path.join(args.artifacts, f"queries-{args.queries}x{args.dim}.f32")
    for path in (vectors_path, queries_path):
        if not os.path.exists(path):
            raise SystemExit(f"{path} is missing: run the embedded runner first (bench/store-vs-faiss.sh does)")
    base = np.fromfile(vectors_path, dtype=np.float32).reshape(args.rows, args.dim)
    queries = np.fromfile(queries_path, dtype=np.float32).reshape(args.queries, args.dim)
    rss_vectors = rss_mb()

    results = []
    for element in ("float32", "float16"):
        if element == "float32":
            index = faiss.IndexFlatIP(args.dim)
        else:
            index = faiss.IndexScalarQuantizer(args.dim, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT)
        start = time.perf_counter()
        index.add(base)
        build = time.perf_counter() - start
        result = measure(index, element, queries, args.single, args.artifacts)
        result["build_s"] = round(build, 3)
        # The numpy copy of the vectors stays resident beside the index; report the index's own share too.
        result["index_mb"] = round(result["rss_mb"] - rss_vectors, 1)
        print("faiss " + json.dumps(result), flush=True, file=os.sys.stderr)
        results.append(result)
        del index

    report = {
        "engine": "faiss",
        "faiss_version": faiss.__version__,
        "omp_threads": faiss.omp_get_max_threads(),
        "rows": args.rows,
        "dim": args.dim,
        "k": K,
        "results": results,
    }
    with open(os.path.join(args.artifacts, f"faiss-{args.rows}x{args.dim}.json"), "w", encoding="utf-8") as out:
        json.dump(report, out, indent=2)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
