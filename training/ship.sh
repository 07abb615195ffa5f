#!/usr/bin/env bash
# Ships a finished run as the two default models, every step the model cards record, in one command:
#   1. fits the temperature on the run's held-out Training rows (never PublicTest; refuses a run without --holdout);
#   2. exports the float and the int8 ONNX files with that temperature in the graph, their cards and CI's parity
#      fixtures (PyTorch's predictions on the first 300 PublicTest rows);
#   3. measures both in C#: ONNX Runtime on bare tensors (fer-bench --model-only) and `fer eval` over the full
#      PublicTest, and records both on the cards (card.py fails when C# is outside the card's tolerance of PyTorch).
#   training/ship.sh /work/train-state/student "distilled on the 2-core EPYC, 100 epochs, 4.5 h"
# OUT and FIXTURES (default models and tests/fixtures) redirect the files, e.g. for a dry run; DATA_DIR defaults to
# ../shared/data/fer2013. It ships; it does not commit: copy best.pt and log.csv into training/runs/ and update
# EXPERIMENTS.md and the README's model table by hand, with the figures the cards now hold.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
run=${1:?usage: training/ship.sh RUN_DIR [TRAINING_NOTE]}
note=${2:-}
out=${OUT:-models}
fixtures=${FIXTURES:-tests/fixtures}
data=${DATA_DIR:-../shared/data/fer2013}
python=${PYTHON:-/usr/bin/python3}
work="$(mktemp -d -t fer-ship.XXXXXX)"
trap 'rm -rf "$work"' EXIT
export PYTHONPATH=training

echo "== temperature on the held-out rows of $run"
"$python" -m fer_train.fit_temperature --checkpoint "$run/best.pt" --data-dir "$data"

echo "== export: float and int8, the temperature folded into both graphs"
"$python" -m fer_train.export --checkpoint "$run/best.pt" --name fer-cnn --out "$out" --fixtures "$fixtures" \
  --data-dir "$data" --temperature-json "$run/temperature.json" --training-note "$note"
"$python" -m fer_train.export_int8 --checkpoint "$run/best.pt" --name fer-cnn-int8 --out "$out" --fixtures "$fixtures" \
  --data-dir "$data" --temperature-json "$run/temperature.json" --training-note "$note"

echo "== C#: bare throughput and the full PublicTest, recorded on each card"
dotnet build FerBatch.sln -c Release -v quiet -nologo
for name in fer-cnn fer-cnn-int8; do
  dotnet bench/Fer.Bench/bin/Release/net10.0/fer-bench.dll --model-only --model "$out/$name.onnx" --out "$work/$name"
  dotnet src/Fer.Cli/bin/Release/net10.0/fer.dll eval --data "$data/publictest.csv.gz" --model "$out/$name.onnx" \
    --json "$work/$name-eval.json" > "$work/$name-eval.txt"
  tail -n 3 "$work/$name-eval.txt"
  "$python" -m fer_train.card "$out/$name.card.json" "$work/$name/model-throughput.json" --eval "$work/$name-eval.json"
done
echo "shipped $run as $out/fer-cnn.onnx and $out/fer-cnn-int8.onnx (cards: $out/fer-cnn.card.md, $out/fer-cnn-int8.card.md)"
