#!/usr/bin/env bash
# Runs the whole test suite: bootstrap, build, every test project, then one summary line
#   N passed, N failed, N skipped
# summed over all projects (CI reads that line). Exits non-zero on any failure or build error.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Pipeline").
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

scripts/bootstrap.sh || { echo "test: bootstrap failed" >&2; exit 1; }
# The real non-place images of the OOD test (tests/G3.Evaluation.Tests/OutOfDistribution), from pinned Debian
# packages with checksums. Not part of bootstrap: the service never needs them. If the archive cannot serve
# them, the test that needs them skips with its reason.
scripts/fetch-ood-images.sh || echo "test: real non-place images unavailable; their test will skip" >&2

results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

dotnet build G3.sln -c Release -nologo -v quiet || { echo "0 passed, 1 failed, 0 skipped"; echo "test: build failed" >&2; exit 1; }

dotnet test G3.sln -c Release --no-build -nologo \
  --results-directory "$results" --logger "trx" --logger "console;verbosity=minimal" "$@"
status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files+1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); total=$(get total); run=$(get executed)
  # The TRX counters leave notExecuted at 0 for skipped tests; they are total − executed.
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0})); skipped=$((skipped + ${total:-0} - ${run:-0}))
  # Print every skipped test with its reason, so nothing is skipped silently.
  grep -o '<UnitTestResult [^>]*outcome="NotExecuted"[^>]*>' "$trx" | sed -n 's/.*testName="\([^"]*\)".*/  skipped: \1/p'
done
grep -h -A2 '<Output>' "$results"/*.trx 2>/dev/null | sed -n 's/.*<Message>\(.*\)<\/Message>.*/    reason: \1/p' | sort -u

if [ "$files" -eq 0 ]; then
  echo "test: no test results were written" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] || exit 1
