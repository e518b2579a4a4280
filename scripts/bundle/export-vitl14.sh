#!/usr/bin/env bash
# Exports the ViT-L/14-shaped G3 model with random weights (seed 0) into vitl14/ beside this script, with
# its float16 variant, for gpu-check. Needs python3 with torch, onnx and numpy; says so and exits 1 without.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python3 -c 'import torch, onnx, numpy' 2>/dev/null \
  || { echo "export-vitl14.sh: python3 with torch, onnx and numpy is needed; gpu-check will report the ViT-L/14 rows as absent" >&2; exit 1; }
# The float16 step checks its agreement with the bundle's own ONNX Runtime library.
export G3_ONNXRUNTIME_LIBRARY="$here/app/libonnxruntime.so"
python3 "$here/tools/export/export_checkpoint.py" random --vit l14 --seed 0 --out "$here/vitl14" --float16
