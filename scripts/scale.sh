#!/usr/bin/env bash
# Scale run (not part of CI): 50,000 faces (the PublicTest slice replicated under new names) uploaded to Azurite,
# submitted once and scored by two worker processes; prints the usual fault-table row, throughput and the peak
# resident memory (VmHWM) of every host.
# The blobs go to a second, in-memory Azurite on FER_SCALE_AZURITE_PORT (10100), stopped afterwards: the shared one
# keeps every blob's metadata in one JSON file that it rewrites as it grows, which slows 50,000 uploads to a crawl
# and every later test with them. Set FER_SCALE_BLOB to use another storage account instead.
#
#   scripts/scale.sh                 50,000 faces, 2 workers
#   scripts/scale.sh 100000 --workers 3
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/prepare.sh

count="${1:-50000}"
shift || true
fer_prepare FER_FAULTS_NO_BUILD src/Fer.Worker src/Fer.Ingest tests/Fer.Faults
if [[ -z "${FER_SCALE_BLOB:-}" ]]; then
  port="${FER_SCALE_AZURITE_PORT:-10100}"
  mkdir -p /tmp/fer-scale-azurite
  azurite-blob --blobHost 127.0.0.1 --blobPort "$port" --inMemoryPersistence --disableTelemetry --skipApiVersionCheck \
    >/tmp/fer-scale-azurite/azurite.log 2>&1 &
  azurite_pid=$!
  trap 'kill "$azurite_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 60); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/devstoreaccount1?comp=list" && break
    sleep 1
  done
  # Azurite's documented development account and key (the only key allowed in this repository).
  FER_SCALE_BLOB="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$port/devstoreaccount1;"
fi
FER_TEST_BLOB="$FER_SCALE_BLOB" dotnet tests/Fer.Faults/bin/Release/net10.0/fer-faults.dll --scale "$count" --workers 2 --message-limit 64 "$@"
