#!/usr/bin/env bash
# The GPU flavour, checked without a GPU: builds Fer.Worker with -p:FerGpu=true (Microsoft.ML.OnnxRuntime.Gpu 1.32.0) in a
# scratch copy of src/ (so the CPU build's obj/ and bin/ are left alone), checks the CUDA provider library shipped with
# it, then starts that worker and waits for its start-up log: it must ask for CUDA and, where CUDA cannot load, say so
# and carry on on the CPU. Needs RabbitMQ on loopback only as far as the worker host starts; nothing is consumed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
work=$(mktemp -d /tmp/fer-gpu-flavour.XXXXXX)
worker_pid=
cleanup() { [[ -n $worker_pid ]] && kill "$worker_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

cp Directory.Build.* Directory.Packages.props "$work/"   # every Directory.Build.* file, so a new one is not forgotten here
tar --exclude='*/bin' --exclude='*/obj' -cf - src | tar -C "$work" -xf -
echo "[gpu] dotnet build src/Fer.Worker -c Release -p:FerGpu=true (in $work)"
dotnet build "$work/src/Fer.Worker/Fer.Worker.csproj" -c Release -p:FerGpu=true -nologo -v quiet
out="$work/src/Fer.Worker/bin/Release/net10.0"
provider="$out/runtimes/linux-x64/native/libonnxruntime_providers_cuda.so"
[[ -f $provider ]] || { echo "[gpu] FAIL: $provider missing from the GPU build" >&2; exit 1; }
echo "[gpu] CUDA provider shipped: $(basename "$provider") needs $(readelf -d "$provider" | grep -o 'libcudart[^]]*')"

log="$work/worker.log"
(cd "$out" && exec env Fer__Database__Provider=sqlite "ConnectionStrings__Sqlite=Data Source=$work/gpu-check.db" \
  Fer__Model__Path="$ROOT/models/fer-cnn.onnx" Fer__Bus__EntityPrefix=gpu-flavour-check ASPNETCORE_HTTP_PORTS=0 \
  dotnet Fer.Worker.dll >"$log" 2>&1) &
worker_pid=$!
for _ in $(seq 120); do
  if grep -q 'on execution provider CUDA' "$log"; then
    echo "[gpu] PASS: the worker runs on the CUDA execution provider"; exit 0
  fi
  if grep -q 'CUDA execution provider unavailable, using CPU' "$log" && grep -q 'on execution provider CPU' "$log"; then
    echo "[gpu] PASS: CUDA requested, not loadable here; clean fallback to CPU with a log line:"
    grep -o 'Execution provider note: [^"]*' "$log" | head -1 | cut -c1-200
    exit 0
  fi
  kill -0 "$worker_pid" 2>/dev/null || { echo "[gpu] FAIL: the worker exited" >&2; tail -n 20 "$log" >&2; exit 1; }
  sleep 0.5
done
echo "[gpu] FAIL: no execution-provider line within 60 s" >&2
tail -n 20 "$log" >&2
exit 1
