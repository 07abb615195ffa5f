#!/usr/bin/env bash
# Scale run (not part of CI): 50,000 faces (the PublicTest slice replicated under new names) uploaded to Azurite,
# submitted once and scored by two worker processes; prints the usual fault-table row, throughput and the peak
# resident memory (VmHWM) of every host.
#
#   scripts/scale.sh                 50,000 faces, 2 workers
#   scripts/scale.sh 100000 --workers 3
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

count="${1:-50000}"
shift || true
if [[ "${FER_SKIP_SERVICES:-}" != 1 ]]; then
  bash scripts/services.sh install
  bash scripts/services.sh start
fi
if [[ "${FER_FAULTS_NO_BUILD:-}" != 1 ]]; then
  for project in src/Fer.Worker src/Fer.Ingest tests/Fer.Faults; do
    dotnet build "$project" -c Release -nologo -v quiet
  done
fi
exec dotnet tests/Fer.Faults/bin/Release/net10.0/fer-faults.dll --scale "$count" --workers 2 --message-limit 64 "$@"
