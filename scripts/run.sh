#!/usr/bin/env bash
# Runs the service on the embedded defaults. Extra arguments go to the host, e.g.
#   scripts/run.sh --urls http://0.0.0.0:8080
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/bootstrap.sh
dotnet build src/G3.Cli -c Release -nologo -v quiet
exec dotnet src/G3.Cli/bin/Release/net10.0/g3.dll serve "$@"
