#!/usr/bin/env bash
# Checks that every non-system library a CUDA provider links (its ELF NEEDED entries) is on the list of
# CUDA libraries that start.sh and gpu-check look for. Used by scripts/gpu-bundle.sh before it packs.
#
#   scripts/bundle-cuda-needed.sh PROVIDER.so LIST.txt
#
# Exit 0 silently when covered; exit 1 printing which library is unlisted (or why it could not tell).
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: bundle-cuda-needed.sh PROVIDER.so LIST.txt" >&2; exit 2; }
provider=$1 list=$2
command -v readelf >/dev/null || { echo "readelf (binutils) is needed to read $(basename "$provider")'s linked libraries"; exit 1; }
needed=$(readelf -d "$provider" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p') \
  || { echo "readelf could not read $provider"; exit 1; }
[ -n "$needed" ] || { echo "$provider names no linked library (not a shared library?)"; exit 1; }
# The C and C++ runtimes every Linux has.
system='^(libc|libm|libdl|librt|libpthread|libstdc\+\+|libgcc_s|ld-linux-x86-64)\.so'
unlisted=()
for lib in $needed; do
  [[ $lib =~ $system ]] && continue
  grep -qxF "$lib" "$list" || unlisted+=("$lib")
done
[ ${#unlisted[@]} -eq 0 ] || { echo "$(basename "$provider") links ${unlisted[*]}, missing from $list"; exit 1; }
