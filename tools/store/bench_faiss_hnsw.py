#!/usr/bin/python3
"""FAISS half of bench/ann.sh: IndexHNSWFlat with the same M / efConstruction / efSearch as the USearch index.

Reads the clustered vectors and queries the .NET runner wrote to bench/artifacts/ (float32, row-major) and uses
the first --rows of them (Debian's FAISS is built generic, without AVX2, so it builds far slower; it is a floor
for context, not a target). Measures build time at 1 and 2 OpenMP threads, single-query p50/p99 for the 10 most
similar (and the 10 least similar via the negated query) at each efSearch, recall@10 at both ends against
numpy's exact answer, RSS, and the load average before and after.
Run with Debian's interpreter: /usr/bin/python3 tools/store/bench_faiss_hnsw.py --rows N --source-rows M
"""
import argparse
import json
import os
import time

import faiss
import numpy as np

K = 10


def rss_mb():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def load_average():
    with open("/proc/loadavg", encoding="ascii") as f:
        return [float(x) for x in f.read().split()[:3]]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(np.ceil(p * len(values))) - 1))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, required=True, help="vectors to index (a prefix of the source file)")
    parser.add_argument("--source-rows", type=int, required=True, help="rows in the .NET runner's vector file")
    parser.add_argument("--dim", type=int, default=768)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--M", type=int, default=16)
    parser.add_argument("--ef-construction", type=int, default=128)
    parser.add_argument("--artifacts", default="bench/artifacts")
    args = parser.parse_args()

    load_before = load_average()
    vectors = np.fromfile(os.path.join(args.artifacts, f"ann-vectors-{args.source_rows}x{args.dim}.f32"), dtype=np.float32)
    vectors = np.ascontiguousarray(vectors.reshape(-1, args.dim)[: args.rows])
    queries = np.fromfile(os.path.join(args.artifacts, f"ann-queries-{args.queries}x{args.dim}.f32"), dtype=np.float32)
    queries = queries.reshape(-1, args.dim)

    scores = queries @ vectors.T
    truth_most = np.argsort(-scores, axis=1, kind="stable")[:, :K]
    truth_least = np.argsort(scores, axis=1, kind="stable")[:, :K]

    builds = []
    index = None
    for threads in [int(t) for t in args.threads.split(",")]:
        faiss.omp_set_num_threads(threads)
        index = faiss.IndexHNSWFlat(args.dim, args.M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = args.ef_construction
        start = time.perf_counter()
        index.add(vectors)
        seconds = time.perf_counter() - start
        builds.append({"threads": threads, "seconds": round(seconds, 1), "vectors_per_s": round(args.rows / seconds),
                       "load_after": load_average()})

    faiss.omp_set_num_threads(1)
    results = []
    for ef in (64, 128, 256, 512):
        index.hnsw.efSearch = ef
        for q in queries[:3]:
            index.search(q[None, :], K)
        latencies, most, least, gap = [], 0.0, 0.0, 0.0
        for i, q in enumerate(queries):
            start = time.perf_counter()
            _, near = index.search(q[None, :], K)
            _, far = index.search(-q[None, :], K)
            latencies.append((time.perf_counter() - start) * 1000)
            most += len(set(near[0]) & set(truth_most[i])) / K
            least += len(set(far[0]) & set(truth_least[i])) / K
            gap += float(scores[i, far[0]].mean() - scores[i, truth_least[i]].mean())
        n = len(queries)
        results.append({"engine": "faiss-hnsw-flat", "ef_search": ef, "p50_ms": round(percentile(latencies, 0.5), 3),
                        "p99_ms": round(percentile(latencies, 0.99), 3), "recall10_most": round(most / n, 4),
                        "recall10_least": round(least / n, 4), "least_mean_similarity_gap": round(gap / n, 5),
                        "rss_mb": round(rss_mb(), 1)})

    print(json.dumps({
        "engine": "faiss", "faiss_version": faiss.__version__, "compile_options": faiss.get_compile_options(),
        "rows": args.rows, "dim": args.dim, "k": K, "queries": len(queries), "M": args.M,
        "efConstruction": args.ef_construction, "cores": os.cpu_count(), "load_before": load_before,
        "load_after": load_average(), "builds": builds, "hnsw_search": results,
        "note": "the request is the 10 most similar plus the 10 least similar (negated query); p50/p99 cover both searches",
    }, indent=2))


if __name__ == "__main__":
    main()
