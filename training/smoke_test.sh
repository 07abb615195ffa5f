#!/usr/bin/env bash
# End-to-end smoke test of the model path: train one tiny epoch on CPU, export to ONNX (with a parity
# fixture), then evaluate the export with the C# `fer eval` and check it agrees with PyTorch.
# Needs no FER2013 download: it uses tests/fixtures only. About a minute on 2 cores.
#   training/smoke_test.sh            (PYTHON=/path/to/python3 to pick the interpreter)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
python="${PYTHON:-/usr/bin/python3}"
work="$(mktemp -d -t fer-smoke.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "== train (1 epoch, 512 rows, vgg-xs) in $work"
PYTHONPATH=training "$python" -m fer_train.train \
  --train-csv tests/fixtures/train-tiny.csv.gz --val-csv tests/fixtures/publictest-slice.csv.gz \
  --arch vgg-xs --epochs 1 --limit-train 512 --out "$work/run" --threads 2
test -f "$work/run/best.pt" || { echo "training wrote no best.pt" >&2; exit 1; }

echo "== export"
# --data-dir points at an empty folder so the card never hashes (or needs) the full dataset.
PYTHONPATH=training "$python" -m fer_train.export \
  --checkpoint "$work/run/best.pt" --name smoke-test --out "$work/model" \
  --data-dir "$work/no-data" --val-csv tests/fixtures/publictest-slice.csv.gz --fixtures "$work/fixtures"

echo "== C# fer eval"
dotnet run -c Release --project src/Fer.Cli -- eval \
  --data tests/fixtures/publictest-slice.csv.gz --model "$work/model/smoke-test.onnx" --json "$work/eval.json"

"$python" - "$work/eval.json" "$work/fixtures/publictest-slice.smoke-test.expected.json" <<'PY'
import json, sys
csharp, pytorch = (json.load(open(p)) for p in sys.argv[1:3])
assert csharp["count"] == 300, f"C# evaluated {csharp['count']} rows, expected 300"
assert csharp["model"] == "smoke-test", csharp["model"]
assert abs(csharp["accuracy"] - pytorch["accuracy"]) <= 0.001, (csharp["accuracy"], pytorch["accuracy"])
assert csharp["confusion"] == pytorch["confusion"], "confusion matrices differ between C# and PyTorch"
print(f"smoke test passed: 300 rows, accuracy C# {csharp['accuracy']:.4f} = PyTorch {pytorch['accuracy']:.4f}, same confusion matrix")
PY
