#!/usr/bin/python3
"""numpy/OpenBLAS side of the verifier benchmark (bench/README.md, "Geo-verification").

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/verification/bench_numpy_verifier.py [--candidates 40]

Rebuilds the GeoCLIP-sized location encoder's weights (tools/onnx/g3_models.py, same seed as
bench/artifacts/geoclip-location) and times what GeoVerifier does for one request: Equal Earth
projection, Fourier features, 3 MLPs (512→1024→1024→1024→512) summed, L2 normalisation, cosine scores
against the image embedding, ranking and the softmax confidence, for m candidates in one batch.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "onnx"))
import g3_models  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=40)
    args = parser.parse_args()

    model = g3_models.geoclip_location_encoder(seed=7)
    branches = []
    for b in model.branches:
        layers = [(m.weight.detach().numpy().T.copy(), m.bias.detach().numpy().copy()) for m in b.mlp if hasattr(m, "weight")]
        branches.append((b.rff.b.numpy().T.copy(), layers, (b.head.weight.detach().numpy().T.copy(), b.head.bias.detach().numpy().copy())))

    rng = np.random.default_rng(7)
    points = [(float(rng.uniform(-85, 85)), float(rng.uniform(-180, 180))) for _ in range(args.candidates)]
    image = rng.standard_normal(512).astype(np.float32)

    def verify():
        v = g3_models.project(points, "equal-earth")
        out = None
        for b, layers, (hw, hb) in branches:
            vp = 2 * np.pi * v @ b
            h = np.concatenate([np.cos(vp), np.sin(vp)], axis=1)
            for w, bias in layers:
                h = np.maximum(h @ w + bias, 0)
            h = h @ hw + hb
            out = h if out is None else out + h
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        scores = out @ (image / np.linalg.norm(image))
        order = np.argsort(-scores, kind="stable")
        e = np.exp(100 * (scores - scores.max()))
        return order, e / e.sum()

    for _ in range(5):
        verify()
    samples = []
    deadline = time.perf_counter() + 2
    while time.perf_counter() < deadline or len(samples) < 20:
        start = time.perf_counter()
        verify()
        samples.append(time.perf_counter() - start)
    print(f"numpy/OpenBLAS verifier, m={args.candidates}: median {statistics.median(samples) * 1e3:.3f} ms "
          f"({len(samples)} runs, OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'default')})")


if __name__ == "__main__":
    main()
