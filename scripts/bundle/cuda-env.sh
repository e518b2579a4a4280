# Sourced by start.sh and gpu-check (they set $here, the bundle folder, and $g3_name, their own name).
# Sets up the environment for the bundle's programs and checks the CUDA libraries:
#   - lib/ (the image codecs) first on LD_LIBRARY_PATH, then every Python wheel's site-packages/nvidia/*/lib
#     (where pip's CUDA and cuDNN wheels put their libraries), then the caller's LD_LIBRARY_PATH;
#   - .NET culture-invariant when the machine has no ICU (G3 formats and parses invariantly anyway);
#   - for a bundle with the CUDA provider: each library of cuda-libraries.txt that neither LD_LIBRARY_PATH
#     nor the loader cache (ldconfig -p) has is named, with every place looked in.

# Python's site-packages folders, one a line (none without python3).
g3_python_sites() {
  command -v python3 >/dev/null 2>&1 || return 0
  python3 -c 'import site; print("\n".join(site.getsitepackages() + [site.getusersitepackages()]))' 2>/dev/null || true
}

# The Python wheels' library folders, one a line (where pip's CUDA and cuDNN wheels put their libraries).
g3_wheel_lib_dirs() {
  local site dir
  while IFS= read -r site; do
    for dir in "$site"/nvidia/*/lib; do [ -d "$dir" ] && printf '%s\n' "$dir"; done
  done < <(g3_python_sites)
  return 0
}

# Where the Python wheels were looked for, for the message.
g3_wheel_sites() {
  command -v python3 >/dev/null 2>&1 || { echo "no python3 on PATH, so no Python wheels"; return 0; }
  local sites
  sites=$(g3_python_sites | sed 's|$|/nvidia/*/lib|' | paste -sd, - | sed 's/,/, /g')
  echo "${sites:-python3 listed no site-packages}"
}

# Prints the libraries of cuda-libraries.txt that are not found and where it looked; returns 1 if any is missing.
g3_check_cuda_libraries() {
  local list="$here/cuda-libraries.txt" lib dir found missing=() dirs=()
  [ -f "$list" ] || { echo "$g3_name: $list is missing; this bundle is incomplete" >&2; return 1; }
  IFS=: read -ra dirs <<< "${LD_LIBRARY_PATH:-}"
  local cache
  cache=$(ldconfig -p 2>/dev/null || true)
  while IFS= read -r lib; do
    lib=${lib%%#*}; lib=${lib//[[:space:]]/}
    [ -n "$lib" ] || continue
    found=0
    for dir in "${dirs[@]}"; do [ -n "$dir" ] && [ -e "$dir/$lib" ] && { found=1; break; }; done
    [ "$found" = 1 ] || grep -qF "$lib " <<< "$cache" || missing+=("$lib")
  done < "$list"
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "$g3_name: ${#missing[@]} CUDA librar$([ ${#missing[@]} = 1 ] && echo y || echo ies) not found: ${missing[*]}" >&2
  echo "$g3_name: looked in LD_LIBRARY_PATH: ${LD_LIBRARY_PATH:-(empty)}" >&2
  echo "$g3_name: looked in the Python wheels: $(g3_wheel_sites)" >&2
  echo "$g3_name: looked in the loader cache: ldconfig -p" >&2
  echo "$g3_name: without them 'cuda' refuses to start and 'auto' uses the CPU (docs/gpu.md)" >&2
  return 1
}

g3_wheel_path=$(g3_wheel_lib_dirs | paste -sd: -)
export LD_LIBRARY_PATH="$here/lib${g3_wheel_path:+:$g3_wheel_path}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if ! ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so'; then export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1; fi

# A CPU bundle has no CUDA provider and needs none of these libraries.
g3_cuda_bundle() { [ -e "$here/app/libonnxruntime_providers_cuda.so" ]; }
