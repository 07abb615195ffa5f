#!/usr/bin/env bash
# End-to-end smoke test of the model path: pack the fixtures, train two tiny epochs on CPU from them, export
# to ONNX (with a parity fixture), then evaluate the export with the C# `fer eval` and check it agrees with PyTorch.
# Needs no FER2013 download: it uses tests/fixtures only. About a minute on 2 cores.
#   training/smoke_test.sh            (PYTHON=/path/to/python3 to pick the interpreter)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
python="${PYTHON:-/usr/bin/python3}"
work="$(mktemp -d -t fer-smoke.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "== pack the fixtures (the form in which data travels to a GPU machine)"
PYTHONPATH=training "$python" - "$work/packed" <<'PY'
import os, sys
import numpy as np
from fer_train.data import load_cached, read_packed, write_packed
out = sys.argv[1]
os.makedirs(out)
for name, source in (("train", "tests/fixtures/train-tiny.csv.gz"), ("val", "tests/fixtures/publictest-slice.csv.gz")):
    x, y = load_cached(source, os.path.join(out, "cache"))
    write_packed(os.path.join(out, name + ".fer.xz"), x, y)
    x2, y2 = read_packed(os.path.join(out, name + ".fer.xz"))
    assert np.array_equal(x, x2) and np.array_equal(y, y2), f"{source}: packed round trip differs"
PY

echo "== train (vgg-xs, 512 rows; --max-seconds 1 cuts the 4 requested epochs to 2, then 1 weight-averaging epoch) in $work"
PYTHONPATH=training "$python" -m fer_train.train \
  --train-csv "$work/packed/train.fer.xz" --val-csv "$work/packed/val.fer.xz" \
  --arch vgg-xs --epochs 4 --warmup-epochs 1 --max-seconds 1 --swa-epochs 1 --limit-train 512 --holdout 64 \
  --out "$work/run" --threads 2
test -f "$work/run/best.pt" || { echo "training wrote no best.pt" >&2; exit 1; }
rows=$(($(wc -l < "$work/run/log.csv") - 1))
((rows == 3)) || { echo "expected 2 cosine epochs (cut by --max-seconds) and 1 averaging epoch, log.csv has $rows" >&2; exit 1; }
tail -1 "$work/run/log.csv" | tr -d "\r" | grep -Eq ',0\.[0-9]{4}$' || { echo "the averaging epoch logged no val_acc_swa" >&2; exit 1; }

echo "== distil a student from the run above (teacher scores on the student's augmented batch, KL + label CE)"
PYTHONPATH=training "$python" -m fer_train.train \
  --train-csv "$work/packed/train.fer.xz" --val-csv "$work/packed/val.fer.xz" \
  --arch vgg-xs --epochs 1 --warmup-epochs 1 --limit-train 256 --holdout 64 --out "$work/student" --threads 2 \
  --teacher "$work/run/best.pt" "$work/run/best.pt" --teacher-flip --kd-temperature 3 --kd-label-weight 0.1 \
  --teacher-int8 128
PYTHONPATH=training "$python" - "$work/student/run.json" "$work/run/best.pt" <<'PY'
import json, sys
import torch
from fer_train.distill import TeacherEnsemble, distillation_loss
run = json.load(open(sys.argv[1]))
teacher = run["teacher"]
assert len(teacher["members"]) == 2 and teacher["flip"] and 0 <= teacher["val_acc"] <= 1, teacher
assert run["args"]["teacher"] == [sys.argv[2], sys.argv[2]], run["args"]["teacher"]
# A student that already gives the teacher's distribution has a KL of zero; a wrong one does not.
ensemble = TeacherEnsemble([sys.argv[2]], "cpu")
x = torch.randn(16, 1, 48, 48)
probs = ensemble.probabilities(x, 3.0)
assert torch.allclose(probs.sum(1), torch.ones(16), atol=1e-5)
same = distillation_loss(torch.log(probs) * 3.0, probs, torch.zeros(16, dtype=torch.long), 3.0, 0.0)
other = distillation_loss(torch.zeros(16, 7), probs, torch.zeros(16, dtype=torch.long), 3.0, 0.0)
assert abs(float(same)) < 1e-4 < float(other), (float(same), float(other))
from fer_train.export import training_command
command = training_command(run["args"])
assert (f"--teacher {sys.argv[2]} {sys.argv[2]} --kd-temperature 3.0 --kd-label-weight 0.1 --teacher-flip"
        " --teacher-int8 128") in command, command
assert all(m["int8"] for m in teacher["members"]), teacher["members"]
# The int8 teacher (integer kernels, calibrated on Training rows) scores the fixture faces as the float one does;
# checked on the shipped model, since the 2-epoch run above scores every face nearly alike.
import os
from fer_train.data import load_cached
from fer_train.train import to_input
x_fit, _ = load_cached("tests/fixtures/train-tiny.csv.gz", os.path.join(os.path.dirname(sys.argv[1]), "cache"))
x_val, _ = load_cached("tests/fixtures/publictest-slice.csv.gz", os.path.join(os.path.dirname(sys.argv[1]), "cache"))
faces = to_input(x_val, "cpu")
shipped = "training/runs/vgg-m/best.pt"
float_probs = TeacherEnsemble([shipped], torch.device("cpu")).probabilities(faces)
int8_probs = TeacherEnsemble([shipped], torch.device("cpu"), int8_calibration=to_input(x_fit[:256], "cpu")).probabilities(faces)
agreement = float((float_probs.argmax(1) == int8_probs.argmax(1)).float().mean())
gap = float((float_probs - int8_probs).abs().max())
assert agreement >= 0.95 and gap < 0.1, (agreement, gap)
print(f"distillation: ensemble of 2 x 2 views at {teacher['val_acc']:.4f}; KL {float(same):.2e} for a matching student; "
      f"int8 teacher agrees on {agreement:.1%} of {len(faces)} faces (largest score gap {gap:.3f})")
PY

echo "== temperature scaling: the fit recovers a known temperature; the run's 64 held-out rows give the one folded in"
PYTHONPATH=training "$python" - <<'PY'
import numpy as np, torch
from fer_train.fit_temperature import expected_calibration_error, fit_temperature
rng = np.random.RandomState(0)
logits = rng.randn(20000, 7) * 3
labels = np.array([rng.choice(7, p=p) for p in torch.softmax(torch.from_numpy(logits / 2.0), 1).numpy()])
t, before, after = fit_temperature(logits, labels)
assert abs(t - 2.0) < 0.1 and after < before, (t, before, after)
probs = torch.softmax(torch.from_numpy(logits), 1).numpy()
calibrated = torch.softmax(torch.from_numpy(logits / t), 1).numpy()
assert expected_calibration_error(calibrated, labels) < 0.02 < expected_calibration_error(probs, labels)
PY
PYTHONPATH=training "$python" - "$work/run/run.json" <<'PY'
import json, sys
holdout = json.load(open(sys.argv[1]))["holdout"]
assert holdout["rows"] == 64 and holdout["requested"] == 64 and holdout["digest"], holdout
PY
PYTHONPATH=training "$python" -m fer_train.fit_temperature --checkpoint "$work/run/best.pt" --data-dir "$work/no-data"
test -f "$work/run/temperature.json" || { echo "fit_temperature wrote no temperature.json" >&2; exit 1; }

echo "== export"
# --data-dir points at an empty folder so the card never hashes (or needs) the full dataset.
PYTHONPATH=training "$python" -m fer_train.export \
  --checkpoint "$work/run/best.pt" --name smoke-test --out "$work/model" \
  --data-dir "$work/no-data" --val-csv tests/fixtures/publictest-slice.csv.gz --fixtures "$work/fixtures" \
  --temperature-json "$work/run/temperature.json"

echo "== int8 QDQ export of the same checkpoint (calibrated on its fitted Training rows)"
PYTHONPATH=training "$python" -m fer_train.export_int8 \
  --checkpoint "$work/run/best.pt" --name smoke-test-int8 --out "$work/model" --calibration-images 256 \
  --data-dir "$work/no-data" --val-csv tests/fixtures/publictest-slice.csv.gz --fixtures "$work/fixtures" \
  --temperature-json "$work/run/temperature.json"

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
PY

dotnet run -c Release --no-build --project src/Fer.Cli -- eval \
  --data tests/fixtures/publictest-slice.csv.gz --model "$work/model/smoke-test-int8.onnx" --json "$work/eval-int8.json"
PYTHONPATH=training "$python" - "$work/eval-int8.json" "$work/model/smoke-test-int8.card.json" "$work/model/smoke-test.card.json" "$work/run/temperature.json" "$work/model/smoke-test-int8.onnx" <<'PY'
import json, sys
import onnx
csharp, card, fp32_card, fitted = (json.load(open(p)) for p in sys.argv[1:5])
fq = card["quantisation"]["fake_quant_slice"]
assert csharp["model"] == "smoke-test-int8" and csharp["count"] == fq["rows"], csharp["model"]
assert abs(csharp["accuracy"] - fq["accuracy"]) <= fq["accuracy_tolerance"], (csharp["accuracy"], fq)
nodes = [n.op_type for n in onnx.load(sys.argv[5]).graph.node]
assert {"QuantizeLinear", "DequantizeLinear", "Softmax"} <= set(nodes), nodes
# One Div is the in-graph normalisation; a fitted temperature adds the logits / T before the softmax.
assert nodes.count("Div") == (1 if fitted["temperature"] == 1.0 else 2), nodes
for c in (card, fp32_card):
    assert c["calibration"]["temperature"] == fitted["temperature"] and c["calibration"]["holdout_rows"] == 64, c["calibration"]
print(f"int8: C# {csharp['accuracy']:.4f} vs fake-quant {fq['accuracy']:.4f}; T = {fitted['temperature']} on both cards")
PY

echo "== record the C# evaluation on the card (refuses a different ONNX file, fails outside 0.1 pp)"
PYTHONPATH=training "$python" -m fer_train.card "$work/model/smoke-test.card.json" --eval "$work/eval.json"
PYTHONPATH=training "$python" - "$work/model/smoke-test.card.json" "$work/model/smoke-test.card.md" <<'PY'
import json, sys
card = json.load(open(sys.argv[1]))
parity = card["serving_parity"]
assert parity["within_tolerance"] and parity["confusion_identical"], parity
from fer_train.export import training_command
recorded = {"out": "runs/x", "arch": "vgg-m", "epochs": 100, "seed": 1, "drop_not_face": True, "amp": False, "threads": 2}
assert training_command(recorded).endswith("--out runs/x --arch vgg-m --epochs 100 --seed 1 --drop-not-face"), training_command(recorded)
assert "C# serving (`fer eval`" in open(sys.argv[2]).read(), "the Markdown card lacks the C# serving line"
print(f"smoke test passed: 300 rows, accuracy C# {parity['csharp_accuracy']:.4f} = PyTorch "
      f"{card['publictest']['accuracy']:.4f} ({parity['difference_pp']} pp), same confusion matrix, recorded on the card")
PY
