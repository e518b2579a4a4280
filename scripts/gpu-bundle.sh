#!/usr/bin/env bash
# Builds a self-contained, relocatable G3 service bundle for linux-x64 with the CUDA 13 build of ONNX
# Runtime (Microsoft.ML.OnnxRuntime.Gpu.Linux, via -p:G3Gpu=true), for a GPU machine that has no .NET SDK.
# See docs/gpu.md.
#
#   scripts/gpu-bundle.sh                 build artifacts/gpu-bundle/g3-gpu-linux-x64.tar.gz
#   scripts/gpu-bundle.sh --cpu           same layout with the CPU package (to try the bundle on a machine without a GPU)
#   scripts/gpu-bundle.sh --dry-run       print what would be done, do nothing
#   scripts/gpu-bundle.sh --out DIR       put the bundle folder and archive in DIR
#
# The archive holds one folder, g3/ : app/ (the published host and gpu-check, .NET runtime included), lib/
# (the Debian image codecs the decoder calls: libturbojpeg, libspng, libwebp), models/, .deps/geodata
# (offline reverse geocoding), appsettings.json, start.sh, gpu-check, export-vitl14.sh (with the tools/ it
# runs) and the CUDA library list they check. Unpack anywhere and run `g3/start.sh` or `g3/gpu-check`;
# CUDA 13 and cuDNN 9 come from the machine: LD_LIBRARY_PATH, the Python wheels or the loader's paths.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

flavour=gpu
dry=0
out="$root/artifacts/gpu-bundle"
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) flavour=cpu ;;
    --dry-run) dry=1 ;;
    --out) [ $# -ge 2 ] || { echo "gpu-bundle: --out needs a folder" >&2; exit 2; }; out=$2; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "gpu-bundle: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

log() { printf 'gpu-bundle: %s\n' "$*"; }
run() {
  if [ "$dry" = 1 ]; then printf 'gpu-bundle: would run: %s\n' "$*"; else "$@"; fi
}

[ "$(uname -m)" = x86_64 ] || { echo "gpu-bundle: builds for linux-x64 only (this is $(uname -m))" >&2; exit 1; }
command -v dotnet >/dev/null || { echo "gpu-bundle: the .NET SDK is needed to build the bundle (not to run it)" >&2; exit 1; }

gpu_switch=true
[ "$flavour" = cpu ] && gpu_switch=false
name="g3-$flavour-linux-x64"
stage="$out/$name"
bundle="$stage/g3"
archive="$out/$name.tar.gz"

# Image codecs: the decoder P/Invokes these sonames (src/G3.Alignment/Imaging/Native). Taken from this
# machine's Debian packages (scripts/bootstrap.sh installs them), resolved through their symlinks.
codec_libs=(libturbojpeg.so.0 libspng.so.0 libwebp.so.7)
find_lib() {
  local soname=$1 path
  path=$(ldconfig -p 2>/dev/null | awk -v n="$soname" '$1 == n && /x86-64/ { print $NF; exit }')
  [ -n "$path" ] && [ -e "$path" ] || { echo "gpu-bundle: $soname not found on this machine; run scripts/bootstrap.sh first" >&2; exit 1; }
  readlink -f "$path"
}

log "flavour: $flavour (-p:G3Gpu=$gpu_switch); output: $archive"
run rm -rf "$stage"
run mkdir -p "$bundle/lib" "$bundle/.deps"

# 1. The host, self-contained: the .NET runtime, every assembly and the ONNX Runtime native libraries
#    (for the GPU flavour: libonnxruntime.so, libonnxruntime_providers_shared.so, libonnxruntime_providers_cuda.so).
run dotnet publish "$root/src/G3.Cli" -c Release -r linux-x64 --self-contained true -p:G3Gpu="$gpu_switch" \
  -nologo -v quiet -o "$bundle/app"
#    The GPU check beside it: same runtime and native libraries, so one copy of each serves both.
run dotnet publish "$root/bench/gpu/G3.GpuCheck" -c Release -r linux-x64 --self-contained true -p:G3Gpu="$gpu_switch" \
  -nologo -v quiet -o "$bundle/app"

# 2. Codec libraries, under their sonames.
for soname in "${codec_libs[@]}"; do
  if [ "$dry" = 1 ]; then log "would copy $soname"; continue; fi
  cp -L "$(find_lib "$soname")" "$bundle/lib/$soname"
done

# 3. Model, configuration and the offline geography data.
run mkdir -p "$bundle/models"
run cp -r "$root/models/g3-mini" "$bundle/models/g3-mini"
run cp "$root/appsettings.json" "$bundle/appsettings.json"
if [ -d "$root/.deps/geodata" ]; then
  run cp -r "$root/.deps/geodata" "$bundle/.deps/geodata"
else
  echo "gpu-bundle: .deps/geodata is missing; run scripts/bootstrap.sh first" >&2; exit 1
fi

# 4. The start scripts (scripts/bundle/: start.sh, gpu-check, their shared environment and CUDA library
#    check, the list of CUDA libraries) and what export-vitl14.sh needs to export the ViT-L/14-shaped model.
for file in start.sh gpu-check cuda-env.sh cuda-libraries.txt export-vitl14.sh; do
  run cp "$root/scripts/bundle/$file" "$bundle/$file"
done
run mkdir -p "$bundle/tools/export" "$bundle/tools/onnx"
run cp "$root"/tools/export/*.py "$bundle/tools/export/"
run cp "$root/tools/onnx/g3_models.py" "$bundle/tools/onnx/"

# 5. Before anything is packed: the native libraries are all there and, for the GPU flavour, every library
#    the CUDA provider links is one that start.sh and gpu-check look for (scripts/bundle/cuda-libraries.txt).
if [ "$dry" = 1 ]; then
  log "would check the published native libraries and the CUDA provider's linked libraries"
else
  natives=(libonnxruntime.so libonnxruntime_providers_shared.so)
  [ "$flavour" = gpu ] && natives+=(libonnxruntime_providers_cuda.so)
  for lib in "${natives[@]}"; do
    [ -e "$bundle/app/$lib" ] || { echo "gpu-bundle: $lib is missing from the publish output; nothing packed" >&2; exit 1; }
  done
  if [ "$flavour" = gpu ]; then
    unlisted=$("$root/scripts/bundle-cuda-needed.sh" "$bundle/app/libonnxruntime_providers_cuda.so" "$root/scripts/bundle/cuda-libraries.txt") \
      || { echo "gpu-bundle: $unlisted; nothing packed" >&2; exit 1; }
    log "CUDA libraries start.sh checks for: $(grep -v '^#' "$root/scripts/bundle/cuda-libraries.txt" | xargs)"
  fi
fi

# 6. One relocatable archive: every path inside is relative to g3/.
run tar -C "$stage" -czf "$archive" g3
if [ "$dry" = 0 ]; then
  log "done: $archive ($(du -h "$archive" | cut -f1)); unpack anywhere and run g3/start.sh or g3/gpu-check"
fi
