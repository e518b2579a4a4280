#!/usr/bin/env bash
# Starts the G3 service from this bundle: `./start.sh` (serve), or `./start.sh encode-image --provider cuda ...`
# (any g3 verb). `./start.sh --check-libraries` only checks the CUDA libraries (exit 1 when one is missing).
# CUDA 13 and cuDNN 9 come from LD_LIBRARY_PATH, the Python wheels (site-packages/nvidia/*/lib) or the loader's paths.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
g3_name=start.sh
. "$here/cuda-env.sh"
if [ "${1:-}" = --check-libraries ]; then
  g3_cuda_bundle || { echo "start.sh: CPU bundle, no CUDA libraries needed"; exit 0; }
  g3_check_cuda_libraries && echo "start.sh: every CUDA library was found"
  exit
fi
g3_cuda_bundle && { g3_check_cuda_libraries || true; }
cd "$here" # relative paths in appsettings.json (models/, data/) are taken from here
if [ $# -eq 0 ]; then set -- serve; fi
exec "$here/app/g3" "$@"
