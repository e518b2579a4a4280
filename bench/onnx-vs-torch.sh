#!/usr/bin/env bash
# ONNX Runtime (G3's encoders, NuGet package) vs PyTorch CPU on the same weights, one run of each side
# back to back (bench/README.md, "Encoders (ONNX Runtime vs PyTorch)"). Needs `scripts/bootstrap.sh --tools`
# and `tools/onnx/make_bench_models.py` once. Writes everything it prints, with the load average before
# and after, to bench/results/onnx-vs-torch-<UTC time>.txt (or the file given as $1).
#   G3_BENCH_THREADS=n   intra-op threads for both sides (default 1)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export G3_BENCH_THREADS=${G3_BENCH_THREADS:-1}
out=${1:-bench/results/onnx-vs-torch-$(date -u +%Y%m%dT%H%MZ).txt}
mkdir -p "$(dirname "$out")"
{
  echo "# bench/onnx-vs-torch.sh, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "# cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; threads per side: $G3_BENCH_THREADS"
  echo "# ONNX Runtime package $(sed -n 's/.*Include="Microsoft.ML.OnnxRuntime" Version="\([^"]*\)".*/\1/p' Directory.Packages.props); .NET SDK $(dotnet --version)"
  echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  dotnet run -c Release --project bench/G3.Bench -- --filter '*OnnxLocationEncoder*' '*OnnxImageModel*'
  /usr/bin/python3 tools/onnx/bench_torch.py --threads "$G3_BENCH_THREADS"
  echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | sed "s|$root|.|g" | tee "$out"   # paths relative to the repository, not this machine's
