#!/usr/bin/python3
"""Builds the ONNX fidelity fixtures under tests/fixtures/onnx/ (committed; re-running reproduces them).

  /usr/bin/python3 tools/onnx/make_location_fixture.py [--out tests/fixtures/onnx]

location-fixture/   a reduced GeoCLIP/G3 location encoder (3 scales, 2*64 -> 128 -> 128 -> 64),
                    fixed seed, exported to ONNX with input [B,2] = the PROJECTED coordinates; two
                    manifests over the same weights (Mercator as in G3, Equal Earth as in GeoCLIP)
                    and, for each, PyTorch's outputs for 256 coordinates (poles, antimeridian,
                    equator, Paris, the Mercator clamp edge, and random points).
image-fixture/      a tiny image model [N,3,224,224] -> (retrieval 48, GPS-aligned 64) with PyTorch's
                    outputs for deterministic inputs the C# test rebuilds from a formula.
The C# tests (tests/G3.Alignment.Tests/Onnx) assert ONNX Runtime reproduces these within 1e-4.
"""
import argparse
import os
import random

import numpy as np
import torch

import g3_models as m


def special_points():
    return [
        (90.0, 0.0), (-90.0, 0.0), (90.0, 180.0), (-90.0, -180.0),        # poles
        (0.0, 180.0), (0.0, -180.0), (45.0, 180.0), (-45.0, -180.0),      # antimeridian
        (10.0, 179.999), (10.0, -179.999),
        (0.0, 0.0), (0.0, 90.0), (0.0, -90.0), (0.0, 45.5),               # equator
        (48.8566, 2.3522),                                                # Paris
        (m.MERCATOR_MAX_LATITUDE, 10.0), (-m.MERCATOR_MAX_LATITUDE, -10.0),  # Mercator edge
        (86.0, 20.0), (-88.5, 120.0),                                     # clamped by Mercator
        (40.7128, -74.006), (-33.8688, 151.2093), (35.6762, 139.6503),    # New York, Sydney, Tokyo
    ]


def coordinates(total=256, seed=3):
    rng = random.Random(seed)
    points = special_points()
    while len(points) < total:
        points.append((round(rng.uniform(-90, 90), 6), round(rng.uniform(-180, 180), 6)))
    return points


def location_fixture(out):
    os.makedirs(out, exist_ok=True)
    model = m.fixture_location_encoder()
    m.export_location(model, os.path.join(out, "location.onnx"))
    points = coordinates()
    for projection, suffix in (("mercator", "mercator"), ("equal-earth", "equal-earth")):
        projected = m.project(points, projection)
        with torch.no_grad():
            raw = model(torch.from_numpy(projected)).numpy()
        m.write_json(os.path.join(out, f"manifest.{suffix}.json"), {
            "formatVersion": 1,
            "id": f"g3-fixture-location-{suffix}",
            "modelCard": "MODEL_CARD.md",
            "verification": {"metric": "cosine"},
            "location": {"file": "location.onnx", "input": "coords", "output": "embedding", "dim": 64,
                         "projection": projection, "normalize": True},
        })
        m.write_json(os.path.join(out, f"reference.{suffix}.json"), {
            "note": "PyTorch outputs of location.onnx's weights; embeddings are L2-normalised rows",
            "points": [[lat, lon] for lat, lon in points],
            "projected": [[float(a), float(b)] for a, b in projected.astype(np.float64)],
            "embeddings": m.floats(m.l2_normalize(raw)),
        })
    with open(os.path.join(out, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write("# G3 fixture location encoder\n\n"
                "Random weights (seed 20240611), GeoCLIP/G3 architecture at reduced width: Gaussian random Fourier\n"
                "features at sigma = 2^0, 2^4, 2^8 (64 frequencies each), one MLP per scale 128 -> 128 -> 128 -> 64,\n"
                "summed. Not trained: it exists to prove that ONNX Runtime through G3's binding reproduces PyTorch.\n"
                "Built by tools/onnx/make_location_fixture.py.\n")


def image_fixture(out):
    os.makedirs(out, exist_ok=True)
    model = m.TinyImageModel().eval()
    m.export_image(model, os.path.join(out, "image.onnx"))
    pixels = m.deterministic_pixels(2)
    with torch.no_grad():
        retrieval, gps = (t.numpy() for t in model(torch.from_numpy(pixels)))
    m.write_json(os.path.join(out, "manifest.json"), {
        "formatVersion": 1,
        "id": "g3-fixture-image",
        "modelCard": "MODEL_CARD.md",
        "verification": {"metric": "cosine", "logitScale": 100.0},
        "image": {"file": "image.onnx", "input": "pixels", "inputShape": [-1, 3, 224, 224],
                  "retrieval": {"output": "image_embedding", "dim": 48, "normalize": True},
                  "gps": {"output": "gps_embedding", "dim": 64, "normalize": True}},
        "preprocessing": {"inputSize": 224, "resize": "shortest-side-bicubic", "crop": "center",
                          "mean": m.CLIP_MEAN, "std": m.CLIP_STD},
    })
    m.write_json(os.path.join(out, "reference.json"), {
        "note": "inputs: deterministic_pixels(2) in tools/onnx/g3_models.py; outputs L2-normalised per row",
        "batch": 2,
        "retrieval": m.floats(m.l2_normalize(retrieval)),
        "gps": m.floats(m.l2_normalize(gps)),
    })
    with open(os.path.join(out, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write("# G3 fixture image model\n\n"
                "Random weights (seed 11): two strided convolutions, global average pooling, two linear heads\n"
                "(retrieval 48, GPS-aligned 64). Not trained; tests the image path end to end through ONNX Runtime.\n"
                "Built by tools/onnx/make_location_fixture.py.\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(here, "..", "..", "tests", "fixtures", "onnx"))
    args = parser.parse_args()
    location_fixture(os.path.join(args.out, "location-fixture"))
    image_fixture(os.path.join(args.out, "image-fixture"))
    print("fixtures written under", os.path.normpath(args.out))


if __name__ == "__main__":
    main()
