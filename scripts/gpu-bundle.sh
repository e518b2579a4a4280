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
# The archive holds one folder, g3/ : app/ (the published host, .NET runtime included), lib/ (the Debian
# image codecs the decoder calls: libturbojpeg, libspng, libwebp), models/, .deps/geodata (offline
# reverse geocoding), appsettings.json and start.sh. Unpack anywhere and run `g3/start.sh`; CUDA 13 and
# cuDNN 9 come from the machine, found through LD_LIBRARY_PATH (or the system's loader paths).
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

# 4. The one start command.
if [ "$dry" = 1 ]; then
  log "would write $bundle/start.sh"
else
  cat > "$bundle/start.sh" <<'START'
#!/usr/bin/env bash
# Starts the G3 service from this bundle: `./start.sh` (serve), or `./start.sh encode-image --provider cuda ...`
# (any g3 verb). CUDA 13 and cuDNN 9 must be on LD_LIBRARY_PATH (or in the loader's default paths).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Without ICU (minimal images) .NET runs culture-invariant; G3 formats and parses invariantly anyway.
if ! ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so'; then export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1; fi
has() {
  local lib=$1 dir
  ldconfig -p 2>/dev/null | grep -q "$lib" && return 0
  IFS=: read -ra dirs <<< "${LD_LIBRARY_PATH:-}"
  for dir in "${dirs[@]}"; do [ -n "$dir" ] && compgen -G "$dir/$lib*" >/dev/null && return 0; done
  return 1
}
if [ -e "$here/app/libonnxruntime_providers_cuda.so" ]; then
  for lib in libcudart.so.13 libcublas.so.13 libcudnn.so.9; do
    has "$lib" || echo "start.sh: $lib not found on LD_LIBRARY_PATH: 'cuda' will refuse to start, 'auto' will use the CPU" >&2
  done
fi
cd "$here" # relative paths in appsettings.json (models/, data/) are taken from here
if [ $# -eq 0 ]; then set -- serve; fi
exec "$here/app/g3" "$@"
START
  chmod +x "$bundle/start.sh"
fi

# 5. One relocatable archive: every path inside is relative to g3/.
run tar -C "$stage" -czf "$archive" g3
if [ "$dry" = 0 ]; then
  log "done: $archive ($(du -h "$archive" | cut -f1)); unpack anywhere and run g3/start.sh"
  if [ "$flavour" = gpu ] && [ ! -e "$bundle/app/libonnxruntime_providers_cuda.so" ]; then
    echo "gpu-bundle: the CUDA provider library is missing from the publish output" >&2; exit 1
  fi
fi
