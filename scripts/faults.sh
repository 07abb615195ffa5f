#!/usr/bin/env bash
# The fault suite: starts Fer.Ingest and Fer.Worker (and Fer.Reports or `fer run` where a scenario needs them; Release
# builds) as separate processes against the real local services, injects one fault per scenario into the scoring of
# its own folder, and prints `fault | submitted | scored | failed | lost | duplicated`; exits non-zero unless every lost and duplicated count is 0,
# every fault was really injected and no host died on its own. docs/RELIABILITY.md explains each scenario.
#
#   scripts/faults.sh                      all scenarios, 800 faces each
#   scripts/faults.sh --only NAME[,NAME]   some of them; --images N (faces per folder); --keep (leave database,
#                                          container and queues for inspection); --settle-timeout S
#
# Scenarios (--only names):
#   kill-worker        worker SIGKILL mid-batch, a replacement started
#   concurrent-ingest  two submits of one folder at the same moment
#   growing-folder     the folder grows while it is ingested
#   kill-ingest        ingest host SIGKILL mid-submit, a new one started
#   rabbitmq-outage    RabbitMQ stopped for 5 s and started (services.sh stop/start)
#   postgres-outage    PostgreSQL stopped for 5 s and started
#   azurite-outage     Azurite stopped for 10 s and started
#   rabbitmq-sigkill   RabbitMQ killed with SIGKILL mid-scoring, started again   (services.sh kill)
#   postgres-sigkill   PostgreSQL killed with SIGKILL (crash recovery), started again
#   poison-message     3 malformed messages published to the work queue (must reach the error/skipped queue)
#   duplicate-publish  every ScoreImage message published a second time on purpose
#   broken-model       workers started with a missing and a corrupt model file (fail fast, never ready)
#   embedded-sigkill   the embedded `fer run` (SQLite) killed with SIGKILL halfway, then run again on the same folder+db
#   reports-sigkill    the reports host killed with SIGKILL inside a nightly and an on-demand report, then restarted
#
# The outage and SIGKILL scenarios stop or kill the shared local services: never run them while something else
# depends on them (the other scenarios leave the services alone).
# Environment: FER_SKIP_SERVICES=1 (services already running), FER_FAULTS_NO_BUILD=1 (already built in Release),
#   FER_FAULTS_OUT=DIR (where table.md goes; default TestResults/faults), FER_TEST_POSTGRES/RABBITMQ/BLOB as for the tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/prepare.sh
fer_prepare FER_FAULTS_NO_BUILD src/Fer.Worker src/Fer.Ingest src/Fer.Reports src/Fer.Cli tests/Fer.Faults

out="${FER_FAULTS_OUT:-TestResults/faults}"
mkdir -p "$out"
status=0
dotnet tests/Fer.Faults/bin/Release/net10.0/fer-faults.dll --markdown "$out/table.md" "$@" || status=$?
# Whatever happened, leave the services running for whoever comes next.
bash scripts/services.sh start >/dev/null 2>&1 || true
exit $status
