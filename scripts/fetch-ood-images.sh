#!/usr/bin/env bash
# Fetches (scripts/test.sh runs it before the tests; the service never needs it) the real non-place images of data/ood-real/manifest.csv (icons, screenshots, document scans,
# real photographs; none of them ever seen in training) out of the pinned Debian packages the manifest names,
# and checks every file against its SHA-256. Idempotent: files already present with the right checksum are kept.
#
#   scripts/fetch-ood-images.sh      into data/ood-real/images/ (git-ignored)
#
# Needs apt-get (the packages are downloaded, never installed) and dpkg-deb. A package version that the
# configured Debian archive no longer carries fails loudly: the manifest pins versions so that the set, and the
# flag rates measured on it (experiments/results/ood), never change silently.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
manifest="$root/data/ood-real/manifest.csv"
dest="$root/data/ood-real/images"
[ "$#" = 0 ] || { echo "fetch-ood-images: takes no arguments" >&2; exit 2; }
mkdir -p "$dest"

# Which files are missing or wrong, grouped by the package=version that holds them.
declare -A wanted=()
while IFS=, read -r file kind sha package version path licence; do
  [ "$file" = file ] && continue
  if [ -f "$dest/$file" ] && [ "$(sha256sum "$dest/$file" | cut -d' ' -f1)" = "$sha" ]; then continue; fi
  wanted["$package=$version"]+="$file|$sha|$path "
done < "$manifest"
if [ "${#wanted[@]}" = 0 ]; then
  echo "fetch-ood-images: all $(($(wc -l < "$manifest") - 1)) images present in data/ood-real/images (checksums match)"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for spec in "${!wanted[@]}"; do
  echo "fetch-ood-images: downloading $spec"
  (cd "$tmp" && apt-get download -qq "$spec" >/dev/null 2>&1) || { echo "fetch-ood-images: apt-get download $spec failed (run apt-get update; is the version still in the archive?)" >&2; exit 1; }
  deb=$(ls "$tmp"/"${spec%%=*}"_*.deb)
  mkdir -p "$tmp/x"
  # One pass over the package's files for all of its images (a path that is a symlink in the package fails the check).
  paths=()
  for entry in ${wanted[$spec]}; do paths+=(".${entry##*|}"); done
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/x" "${paths[@]}"
  for entry in ${wanted[$spec]}; do
    IFS='|' read -r file sha path <<< "$entry"
    [ -f "$tmp/x$path" ] && [ ! -L "$tmp/x$path" ] || { echo "fetch-ood-images: $path is not a plain file in $spec" >&2; exit 1; }
    got=$(sha256sum "$tmp/x$path" | cut -d' ' -f1)
    [ "$got" = "$sha" ] || { echo "fetch-ood-images: $path from $spec: sha256 $got, expected $sha" >&2; exit 1; }
    mv -f "$tmp/x$path" "$dest/$file.partial" && mv -f "$dest/$file.partial" "$dest/$file"
  done
  rm -f "$deb"
done
echo "fetch-ood-images: $(ls "$dest" | wc -l) images in data/ood-real/images (checksums verified)"
