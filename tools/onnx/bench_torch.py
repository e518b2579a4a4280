#!/usr/bin/python3
"""PyTorch CPU side of the encoder comparison (bench/README.md, "Encoders (ONNX Runtime vs PyTorch)").

  /usr/bin/python3 tools/onnx/make_bench_models.py          # once: the GeoCLIP-sized model
  dotnet run -c Release --project bench/G3.Bench -- --filter '*OnnxLocationEncoder*' '*OnnxImageModel*'
  /usr/bin/python3 tools/onnx/bench_torch.py [--threads 1] [--results BenchmarkDotNet.Artifacts/results]

Rebuilds the very weights the ONNX files hold (same constructors, same seeds), times the same work as
bench/G3.Bench/OnnxEncoderBenchmarks.cs on the same inputs shape (location: 64 points incl. projection
and L2 normalisation; image: the fixture model at batch 1 and 32, incl. normalisation), and, when
BenchmarkDotNet's CSV reports are found, prints the ONNX Runtime / PyTorch ratio per case.
"""
import argparse
import csv
import glob
import os
import random
import statistics
import time

import numpy as np
import torch

import g3_models as m


def time_call(fn, min_seconds=1.0, warmup=5):
    for _ in range(warmup):
        fn()
    samples = []
    deadline = time.perf_counter() + min_seconds
    while time.perf_counter() < deadline or len(samples) < 10:
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e6  # microseconds


def location_case(model, projection):
    rng = random.Random(42)
    points = [(rng.uniform(-90, 90), rng.uniform(-180, 180)) for _ in range(64)]

    def run():
        with torch.no_grad():
            v = torch.from_numpy(m.project(points, projection))
            return torch.nn.functional.normalize(model(v), dim=1)
    return time_call(run)


def image_case(model, batch):
    pixels = torch.from_numpy(np.random.default_rng(42).uniform(-2, 2, size=(batch, 3, 224, 224)).astype(np.float32))

    def run():
        with torch.no_grad():
            retrieval, gps = model(pixels)
            return torch.nn.functional.normalize(retrieval, dim=1), torch.nn.functional.normalize(gps, dim=1)
    return time_call(run)


def read_bdn(results_dir):
    """{(benchmark, param): mean microseconds} from BenchmarkDotNet's *-report.csv files."""
    found = {}
    for path in glob.glob(os.path.join(results_dir, "*Onnx*-report.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter=","):
                mean = row.get("Mean", "")
                value, _, unit = mean.replace(",", "").partition(" ")
                try:
                    us = float(value) * {"ns": 1e-3, "μs": 1, "us": 1, "ms": 1e3, "s": 1e6}[unit]
                except (ValueError, KeyError):
                    continue
                param = row.get("Model") or row.get("Batch")
                found[(row["Method"], param)] = us
    return found


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, "..", ".."))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("G3_BENCH_THREADS", "1")))
    parser.add_argument("--results", default=os.path.join(root, "BenchmarkDotNet.Artifacts", "results"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    cases = [
        ("LocationBatch64", "fixture", lambda: location_case(m.fixture_location_encoder(), "mercator")),
        ("LocationBatch64", "geoclip", lambda: location_case(m.geoclip_location_encoder(), "equal-earth")),
        ("ImageModel", "1", lambda: image_case(m.TinyImageModel().eval(), 1)),
        ("ImageModel", "32", lambda: image_case(m.TinyImageModel().eval(), 32)),
    ]
    ort = read_bdn(args.results)
    print(f"PyTorch {torch.__version__}, CPU, {args.threads} thread(s)")
    print(f"{'case':<28}{'PyTorch µs':>14}{'ORT (G3) µs':>14}{'ORT/PyTorch':>14}")
    for method, param, run in cases:
        torch_us = run()
        ort_us = ort.get((method, param))
        ort_text = f"{ort_us:14.1f}" if ort_us else f"{'-':>14}"
        ratio = f"{ort_us / torch_us:14.2f}" if ort_us else f"{'-':>14}"
        print(f"{method + ' ' + param:<28}{torch_us:14.1f}{ort_text}{ratio}")
    if not ort:
        print(f"(no BenchmarkDotNet reports under {args.results}: run the dotnet command above first for the ratios)")


if __name__ == "__main__":
    main()
