#!/usr/bin/python3
"""PyTorch side of bench/gpu/check.sh: the same ViT-L/14-sized G3 image model that
`tools/export/export_checkpoint.py random --vit l14 --seed S` exports (same constructors, same seed),
run on the same GPU, model only, at the same batch sizes and precisions as the ONNX Runtime side:
fp32 (TF32 off), tf32 (TF32 matmul + cuDNN), fp16 (weights and inputs in half precision).

  /usr/bin/python3 bench/gpu/torch_throughput.py --seed 0 --batches 1,32,128 --seconds 3
"""
import argparse
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools" / "export"))
from checkpoint_modules import G3Image, VitConfig  # noqa: E402


def rate(model, batch, dtype, seconds):
    x = torch.randn(batch, 3, 224, 224, device="cuda", dtype=dtype)
    with torch.no_grad():
        for _ in range(3):
            model(x)
        torch.cuda.synchronize()
        runs, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds or runs < 3:
            model(x)
            runs += 1
        torch.cuda.synchronize()
    return batch * runs / (time.perf_counter() - start)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batches", default="1,32,128")
    p.add_argument("--seconds", type=float, default=3)
    a = p.parse_args()
    if not torch.cuda.is_available():
        print("torch: CUDA is not available to PyTorch here; no PyTorch column")
        return 3
    torch.manual_seed(a.seed)
    model = G3Image(VitConfig.clip_vit_l14()).eval().cuda()
    batches = [int(b) for b in a.batches.split(",")]
    print(f"PyTorch {torch.__version__} on {torch.cuda.get_device_name(0)}: model-only images/s (input already on the GPU)")
    print("| precision | " + " | ".join(f"batch {b}" for b in batches) + " |")
    print("|---|" + "---:|" * len(batches))
    for name in ("fp32", "tf32", "fp16"):
        torch.backends.cuda.matmul.allow_tf32 = name == "tf32"
        torch.backends.cudnn.allow_tf32 = name == "tf32"
        m = model.half() if name == "fp16" else model.float()
        dtype = torch.float16 if name == "fp16" else torch.float32
        print(f"| {name} | " + " | ".join(f"{rate(m, b, dtype, a.seconds):.1f}" for b in batches) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
