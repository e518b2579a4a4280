#!/usr/bin/env bash
# GPU check from a checkout with the .NET SDK (a GPU machine without it runs the bundle's g3/gpu-check:
# docs/gpu.md). Builds the CUDA flavour of bench/gpu/G3.GpuCheck and runs it on g3-mini and a ViT-L/14-sized
# G3 export with random weights (max |CPU - CUDA|, the TF32 setting ORT holds, model-only images/s at batch
# 1, 32, 128, end-to-end beside decode-only images/s), then PyTorch's images/s for the same ViT-L/14 model
# on the same GPU, when PyTorch is there.
# Everything goes to stdout and to bench/gpu/results/<UTC date>-<host>.txt; paste it into bench/README.md.
#
#   bench/gpu/check.sh [--seconds 3] [--images DIR] [--skip-vitl]
#
# Fails at once, saying why, on a machine without an NVIDIA GPU.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

seconds=3
images="$root/tests/fixtures/bundled"
vitl=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift ;;
    --images) images=$2; shift ;;
    --skip-vitl) vitl=0 ;;
    *) echo "check.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

fail() { echo "check.sh: $*" >&2; exit 1; }
command -v nvidia-smi >/dev/null || fail "no NVIDIA GPU here: nvidia-smi is not installed (this script measures a GPU; nothing to do on this machine)"
nvidia-smi -L >/dev/null 2>&1 || fail "no NVIDIA GPU here: nvidia-smi -L failed ($(nvidia-smi -L 2>&1 | head -1))"
command -v dotnet >/dev/null || fail "the .NET SDK is needed to build the CUDA flavour of the bench (dotnet not found)"

mkdir -p bench/gpu/results
out="bench/gpu/results/$(date -u +%Y-%m-%dT%H%MZ)-$(hostname -s).txt"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
exec > >(tee "$out") 2>&1

echo "# bench/gpu/check.sh, $(date -u +%Y-%m-%dT%H:%M:%SZ), git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "## machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "CUDA/cuDNN libraries seen by the loader: $(ldconfig -p | grep -oE 'lib(cudart|cublas|cudnn)\.so\.[0-9]+' | sort -u | xargs || true)"
echo

# The CUDA flavour builds into its own folder so the checkout's CPU build stays as it is.
echo "## build (CUDA flavour: -p:G3Gpu=true)"
dotnet build bench/gpu/G3.GpuCheck -c Release -p:G3Gpu=true --artifacts-path "$work/build" -nologo -v quiet
check=$(find "$work/build/bin" -name gpu-check.dll -path '*release*' | head -1)
[ -n "$check" ] || fail "gpu-check did not build"
json="${out%.txt}.json"

status=0
vitl_manifest="$work/vitl14/manifest.json"
if [ "$vitl" = 1 ]; then
  echo
  echo "## ViT-L/14-sized G3 model, random weights (tools/export/export_checkpoint.py random --vit l14 --seed 0 --float16)"
  if /usr/bin/python3 -c "import torch, onnx, numpy" 2>/dev/null; then
    /usr/bin/python3 tools/export/export_checkpoint.py random --vit l14 --seed 0 --out "$work/vitl14" --float16
    echo
    echo "## PyTorch, same ViT-L/14 model and GPU"
    /usr/bin/python3 bench/gpu/torch_throughput.py --seed 0 --batches 1,32,128 --seconds "$seconds" || echo "(no PyTorch CUDA column)"
  else
    echo "NOT RUN: the export needs python3-torch, python3-onnx and python3-numpy (scripts/bootstrap.sh --tools)"
    status=1
  fi
fi

echo
echo "## gpu-check (g3-mini, then the ViT-L/14 export when made above)"
dotnet "$check" --model models/g3-mini/manifest.json --vitl "$vitl_manifest" --seconds "$seconds" --images "$images" --out "$json" || status=$?

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "saved to $out"
exit $status
