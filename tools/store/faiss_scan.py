#!/usr/bin/python3
"""FAISS half of bench/store-scan.sh: the store-scan runner's measurements, for FAISS, per thread count.

Reads the vectors, queries and exact float64 top-10 that `G3.Bench store-scan` wrote to
bench/artifacts/, builds IndexFlatIP (float32) and IndexScalarQuantizer QT_fp16 (float16), and for
each OpenMP thread count measures single-query latency (p50, min, every query kept), batch-64
throughput and top-10 agreement with the exact answer. FAISS answers a single query on one thread
whatever OpenMP is told; the thread count matters for batches. Writes bench/results/faiss-scan-*.json.
Run with Debian's interpreter and faiss (python3-faiss): /usr/bin/python3 tools/store/faiss_scan.py
"""
import argparse
import json
import os
import time

import faiss
import numpy as np

K = 10
BATCH = 64


def load_average():
    with open("/proc/loadavg", encoding="ascii") as f:
        return " ".join(f.read().split()[:3])


def percentile(sorted_values, p):
    index = min(len(sorted_values) - 1, max(0, int(np.ceil(p * len(sorted_values))) - 1))
    return sorted_values[index]


def measure(index, element, threads, queries, exact):
    faiss.omp_set_num_threads(threads)
    for i in range(3):
        index.search(queries[i:i + 1], K)
    per_query = []
    for i in range(len(queries)):
        start = time.perf_counter()
        _, rows = index.search(queries[i:i + 1], K)
        ms = (time.perf_counter() - start) * 1000.0
        per_query.append({"query": i, "single_ms": round(ms, 3),
                          "top10_exact_overlap": len(set(rows[0].tolist()) & set(exact[i].tolist()))})
    latencies = sorted(q["single_ms"] for q in per_query)
    batches = len(queries) // BATCH
    qps = "n/a (fewer than 64 queries)"
    if batches:
        start = time.perf_counter()
        for b in range(batches):
            index.search(queries[b * BATCH:(b + 1) * BATCH], K)
        qps = round(batches * BATCH / (time.perf_counter() - start), 1)
    return {
        "element": element,
        "threads": threads,
        "queries": len(per_query),
        "single_p50_ms": round(percentile(latencies, 0.5), 3),
        "single_min_ms": latencies[0],
        "batch64_qps": qps,
        "top10_exact_recall": round(sum(q["top10_exact_overlap"] for q in per_query) / (K * len(per_query)), 4),
        "per_query": per_query,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--dim", type=int, default=768)
    parser.add_argument("--queries", type=int, default=64)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--elements", default="float32,float16")
    parser.add_argument("--artifacts", default=os.path.join("bench", "artifacts"))
    parser.add_argument("--out", default=None)
    args = parser.parse_args()

    load_before = load_average()
    a = args.artifacts
    paths = (os.path.join(a, f"vectors-{args.rows}x{args.dim}.f32"), os.path.join(a, f"queries-{args.queries}x{args.dim}.f32"),
             os.path.join(a, f"exact-top10-{args.rows}x{args.dim}-q{args.queries}.i32"))
    for path in paths:
        if not os.path.exists(path):
            raise SystemExit(f"{path} is missing: run the store-scan runner first (bench/store-scan.sh does)")
    base = np.fromfile(paths[0], dtype=np.float32).reshape(args.rows, args.dim)
    queries = np.fromfile(paths[1], dtype=np.float32).reshape(args.queries, args.dim)
    exact = np.fromfile(paths[2], dtype=np.int32).reshape(args.queries, K)

    runs = []
    for element in args.elements.split(","):
        if element == "float32":
            index = faiss.IndexFlatIP(args.dim)
        elif element == "float16":
            index = faiss.IndexScalarQuantizer(args.dim, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT)
        else:
            raise SystemExit(f"--elements: '{element}' is not float32 or float16")
        index.add(base)
        for threads in (int(t) for t in args.threads.split(",")):
            run = measure(index, element, threads, queries, exact)
            print(f"faiss {element} threads={threads}: p50 {run['single_p50_ms']} ms", file=os.sys.stderr, flush=True)
            runs.append(run)
        del index

    report = {
        "engine": "faiss",
        "faiss_version": faiss.__version__,
        "rows": args.rows,
        "dim": args.dim,
        "k": K,
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "runs": runs,
    }
    out = args.out or os.path.join("bench", "results", f"faiss-scan-{args.rows}x{args.dim}.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
