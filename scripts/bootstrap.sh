#!/usr/bin/env bash
# Installs what G3 needs beyond the .NET SDK. Idempotent: a second run checks and does nothing.
# Pinned versions; every fetched native file is verified by size and SHA-256 before use.
#
#   scripts/bootstrap.sh          runtime needs (image codecs, ONNX Runtime)
#   scripts/bootstrap.sh --tools  also the Python tools' needs (PyTorch, PIL, ONNX, FAISS: Debian packages)
#
# Output lands in .deps/ (git-ignored); .deps/VERSIONS.txt records what is installed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deps="$root/.deps"
mkdir -p "$deps"

with_tools=0
for a in "$@"; do
  case "$a" in
    --tools) with_tools=1 ;;
    *) echo "bootstrap: unknown option $a" >&2; exit 2 ;;
  esac
done

log() { printf 'bootstrap: %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------
# Image codecs are called through P/Invoke (DESIGN.md §3: no managed decoder is available).
debs=(libturbojpeg0 libspng0 libwebp7)
tool_debs=(python3-torch python3-torchvision python3-pil python3-onnx python3-numpy python3-faiss libopenblas0-pthread)
[ "$with_tools" = 1 ] && debs+=("${tool_debs[@]}")

missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "Debian packages present: ${debs[*]}"
fi

# --- ONNX Runtime native library -------------------------------------------------------------
# No ONNX Runtime NuGet package is served here, so we take the official linux-x64 build that the
# npm package onnxruntime-node ships, with `npm pack` (downloads the tarball, runs no scripts).
ort_version=1.30.0
ort_sha256=ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23
ort_size=45828512
ort_dir="$deps/onnxruntime/$ort_version"
ort_lib="$ort_dir/libonnxruntime.so.1"

verify_ort() {
  [ -f "$ort_lib" ] || return 1
  [ "$(stat -c %s "$ort_lib")" = "$ort_size" ] || return 1
  [ "$(sha256sum "$ort_lib" | cut -d' ' -f1)" = "$ort_sha256" ] || return 1
}

if verify_ort; then
  log "ONNX Runtime $ort_version present ($ort_size bytes, sha256 $ort_sha256)"
else
  [ "$(uname -m)" = x86_64 ] || { echo "bootstrap: ONNX Runtime is fetched for linux-x64 only (this is $(uname -m))" >&2; exit 1; }
  log "fetching ONNX Runtime $ort_version (npm package onnxruntime-node, linux-x64 library)"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "onnxruntime-node@$ort_version" >/dev/null 2>&1)
  tar -xzf "$tmp/onnxruntime-node-$ort_version.tgz" -C "$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
  got="$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1"
  got_sha=$(sha256sum "$got" | cut -d' ' -f1)
  got_size=$(stat -c %s "$got")
  if [ "$got_sha" != "$ort_sha256" ] || [ "$got_size" != "$ort_size" ]; then
    echo "bootstrap: ONNX Runtime checksum mismatch: got $got_size bytes sha256 $got_sha, expected $ort_size bytes sha256 $ort_sha256" >&2
    exit 1
  fi
  mkdir -p "$ort_dir"
  # Publish atomically: a killed bootstrap never leaves a half-written library behind.
  cp "$got" "$ort_lib.partial" && mv -f "$ort_lib.partial" "$ort_lib"
  log "ONNX Runtime $ort_version installed: $got_size bytes, sha256 $got_sha"
fi

# --- Record versions ---------------------------------------------------------------------------
{
  echo "# written by scripts/bootstrap.sh"
  echo "dotnet-sdk $(dotnet --version 2>/dev/null || echo missing)"
  echo "onnxruntime $ort_version sha256=$ort_sha256"
  for p in "${debs[@]}"; do
    echo "deb $p $(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo missing)"
  done
} > "$deps/VERSIONS.txt.tmp" && mv -f "$deps/VERSIONS.txt.tmp" "$deps/VERSIONS.txt"
