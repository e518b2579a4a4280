#!/usr/bin/python3
"""Adds a float16 image model beside an exported float32 model folder (manifest.json + image.onnx):

  /usr/bin/python3 tools/export/export_float16.py --model models/g3 [--images 16] [--seed 0]

writes image.fp16.onnx, manifest.fp16.json (the same manifest with "precision": "float16", image
"allowTf32": true, and the fp16 file) and appends the measured agreement with the float32 model to the
model card. Agreement is measured here on the CPU with the ONNX Runtime library the service uses (via
ort_runner): max |fp32 - fp16| over both L2-normalised heads for random [N,3,224,224] inputs. Note what
that measures: ONNX Runtime's CPU provider runs float16 nodes it has no float16 kernel for in float32
(it inserts casts), so on the CPU mostly the weight rounding shows; bench/gpu/check.sh measures the
GPU's true float16 arithmetic against the CPU's float32.
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import float16  # noqa: E402
from ort_runner import Runtime  # noqa: E402


def _normalise(rows):
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


def measure(fp32, fp16, image, images, seed):
    runtime = Runtime()
    pixels = np.random.default_rng(seed).standard_normal((images, *image["inputShape"][1:])).astype(np.float32)
    names = [image["retrieval"]["output"], image["gps"]["output"]]
    worst = {}
    for path, key in ((fp32, "fp32"), (fp16, "fp16")):
        session = runtime.session(path)
        worst[key] = session.run({image["input"]: pixels}, names)
        session.close()
    return {name: float(np.abs(_normalise(a) - _normalise(b)).max()) for name, a, b in zip(names, worst["fp32"], worst["fp16"])}


def add_float16(folder, images=16, seed=0):
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    image = manifest["image"]
    source, target = folder / image["file"], folder / "image.fp16.onnx"
    float16.convert(source, target)
    agreement = measure(source, target, image, images, seed)
    fp16_manifest = json.loads(json.dumps(manifest))
    fp16_manifest["id"] = manifest["id"] + "-fp16"
    fp16_manifest["image"].update({"file": target.name, "precision": "float16", "allowTf32": True})
    (folder / "manifest.fp16.json").write_text(json.dumps(fp16_manifest, indent=2) + "\n")
    lines = [f"max |fp32 - fp16| of the L2-normalised `{k}` = {v:.2e}" for k, v in agreement.items()]
    card = folder / manifest.get("modelCard", "MODEL_CARD.md")
    with card.open("a") as f:
        f.write("\n## float16 image model (image.fp16.onnx, manifest.fp16.json)\n\n"
                f"Made by tools/export/export_float16.py from {source.name}: float16 weights and arithmetic, float32 "
                "inputs and outputs. Agreement with the float32 model on "
                f"{images} random inputs (seed {seed}), ONNX Runtime on the CPU (which runs float16 nodes without a CPU "
                "float16 kernel in float32, so this mostly shows the weight rounding; bench/gpu/check.sh measures the "
                "GPU's float16):\n\n" + "\n".join(f"- {l}" for l in lines) + "\n")
    for l in lines:
        print(f"  {l}")
    return agreement


def main():
    p = argparse.ArgumentParser(description="Add a float16 image model to an exported model folder.")
    p.add_argument("--model", required=True, help="folder with manifest.json and the float32 image.onnx")
    p.add_argument("--images", type=int, default=16)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    add_float16(a.model, a.images, a.seed)
    print(f"wrote {Path(a.model) / 'image.fp16.onnx'} and manifest.fp16.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
