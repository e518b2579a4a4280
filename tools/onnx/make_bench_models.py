#!/usr/bin/python3
"""Generates the benchmark-only models into bench/artifacts/ (git-ignored, NOT committed; ~45 MB).

  /usr/bin/python3 tools/onnx/make_bench_models.py [--out bench/artifacts]

geoclip-location/   a GeoCLIP-sized location encoder (3 scales x 2*256 -> 1024 -> 1024 -> 1024 -> 512)
                    with random weights (seed 7) and its manifest. Timing only: the weights are random,
                    the shapes and operators are GeoCLIP's. tools/onnx/bench_torch.py rebuilds the same
                    weights from the same seed for the PyTorch side of the comparison.
"""
import argparse
import os

import g3_models as m


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(here, "..", "..", "bench", "artifacts"))
    args = parser.parse_args()
    out = os.path.join(args.out, "geoclip-location")
    os.makedirs(out, exist_ok=True)
    m.export_location(m.geoclip_location_encoder(), os.path.join(out, "location.onnx"))
    m.write_json(os.path.join(out, "manifest.json"), {
        "formatVersion": 1,
        "id": "bench-geoclip-sized-location",
        "verification": {"metric": "cosine"},
        "location": {"file": "location.onnx", "input": "coords", "output": "embedding", "dim": 512,
                     "projection": "equal-earth", "normalize": True},
    })
    print("benchmark models written under", os.path.normpath(args.out))


if __name__ == "__main__":
    main()
