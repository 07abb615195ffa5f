#!/usr/bin/env bash
# The fault suite: starts Fer.Ingest and Fer.Worker (Release builds) as separate processes against the real local
# services, then kills workers and the ingest host, ingests one folder twice at once and while it grows, and stops
# RabbitMQ, PostgreSQL and Azurite in the middle of runs. Prints `fault | submitted | scored | failed | lost | duplicated`
# and exits non-zero unless every lost and duplicated count is 0 and no host died on its own.
#
#   scripts/faults.sh                      all scenarios, 800 faces each (about 4 minutes)
#   scripts/faults.sh --only kill-worker   some of them (kill-worker, concurrent-ingest, growing-folder, kill-ingest,
#                                          rabbitmq-outage, postgres-outage, azurite-outage); --images N; --keep
#
# It stops and starts the shared local services: never run it while something else depends on them.
# Environment: FER_SKIP_SERVICES=1 (services already running), FER_FAULTS_NO_BUILD=1 (already built in Release),
#   FER_FAULTS_OUT=DIR (where table.md goes; default TestResults/faults), FER_TEST_POSTGRES/RABBITMQ/BLOB as for the tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [[ "${FER_SKIP_SERVICES:-}" != 1 ]]; then
  bash scripts/services.sh install
  bash scripts/services.sh start
fi

if [[ "${FER_FAULTS_NO_BUILD:-}" != 1 ]]; then
  for project in src/Fer.Worker src/Fer.Ingest tests/Fer.Faults; do
    dotnet build "$project" -c Release -nologo -v quiet
  done
fi

out="${FER_FAULTS_OUT:-TestResults/faults}"
mkdir -p "$out"
status=0
dotnet tests/Fer.Faults/bin/Release/net10.0/fer-faults.dll --markdown "$out/table.md" "$@" || status=$?
# Whatever happened, leave the services running for whoever comes next.
bash scripts/services.sh start >/dev/null 2>&1 || true
exit $status
