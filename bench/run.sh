#!/usr/bin/env bash
# The throughput benchmark in one command: builds the hosts and the bench in Release, then measures
#   bare (ONNX Runtime on tensors), decode, distributed_1/2/4 (worker processes on RabbitMQ + Azurite + PostgreSQL),
#   embedded (`fer run`) and POST /classify latency; prints the table, writes bench/results.json and bench/RESULTS.md.
#
#   bench/run.sh            full run (20,000 images, 1/2/4 workers, 1,000 classify requests)
#   bench/run.sh --quick    CI run (600 images, 1/2 workers, 100 requests), written to TestResults/bench-quick/
#   extra arguments go to the bench: --images N, --workers 1,2,4, --classify N, --out DIR
#
# Environment: FER_SKIP_SERVICES=1 (services already running), FER_BENCH_NO_BUILD=1 (hosts already built in Release),
#   FER_BENCH_READY_TO_RUN=0 (a full run measures the `dotnet build` output instead of ReadyToRun publishes),
#   FER_BENCH_PAUSE_TRAINING=0 (do not pause the training job in a full run), Fer__* settings reach every host
#   (e.g. Fer__Model__IntraOpThreads=1) and are recorded in the results.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/prepare.sh

quick=false
for arg in "$@"; do [[ $arg == --quick ]] && quick=true; done

# A full run measures the hosts as they are deployed: published ReadyToRun for this machine's runtime, as the
# Dockerfile publishes them (JIT was an eighth of `fer run`'s CPU). The quick CI run keeps the build output.
ready_to_run=false
[[ $quick == false && "${FER_BENCH_READY_TO_RUN:-1}" == 1 ]] && ready_to_run=true
if [[ $ready_to_run == true ]]; then
  fer_prepare FER_BENCH_NO_BUILD # services only: the publish below builds what it measures
else
  fer_prepare FER_BENCH_NO_BUILD src/Fer.Worker src/Fer.Ingest bench/Fer.Bench
fi

bench=bench/Fer.Bench/bin/Release/net10.0/fer-bench.dll
if [[ $ready_to_run == true ]]; then
  export FER_BENCH_HOSTS="$PWD/bench/.publish"
  for target in worker:src/Fer.Worker ingest:src/Fer.Ingest bench:bench/Fer.Bench; do
    echo "[bench] publishing ${target#*:} (ReadyToRun) to bench/.publish/${target%%:*}" >&2
    dotnet publish "${target#*:}" -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true \
      -nologo -v quiet -o "bench/.publish/${target%%:*}"
  done
  bench=bench/.publish/bench/fer-bench.dll
fi

# A full run measures the pipeline, not the machine's other tenants: the background training job is stopped
# (SIGSTOP) for the duration and always continued afterwards, whatever happens.
paused=()
if [[ $quick == false && "${FER_BENCH_PAUSE_TRAINING:-1}" == 1 ]]; then
  mapfile -t paused < <(pgrep -f fer_train.train || true)
fi
resume() {
  if ((${#paused[@]})); then
    kill -CONT "${paused[@]}" 2>/dev/null || true
    echo "[bench] resumed training (${paused[*]})" >&2
  fi
}
trap resume EXIT INT TERM
export FER_BENCH_LOAD_BEFORE
FER_BENCH_LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
if ((${#paused[@]})); then
  echo "[bench] pausing training (${paused[*]}); load before: $FER_BENCH_LOAD_BEFORE" >&2
  kill -STOP "${paused[@]}"
fi

dotnet "$bench" "$@"
