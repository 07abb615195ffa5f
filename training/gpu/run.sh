#!/usr/bin/env bash
# Runs ON the GPU machine (the device tool's `run`, in the repo root, with carry ["training/gpu/data"]):
# trains on CUDA inside a wall-time budget, then leaves the results in $OUT: the best weights as .npz parts
# under the 16 MiB per-file limit with their JSON metadata, log.csv, run.json and the console log. The schedule (cosine over --epochs) is cut
# to what the budget allows after the warm-up epochs, so the run always finishes its schedule.
#   BUDGET_S=420 ARCH=vgg-l EPOCHS=300 bash training/gpu/run.sh [extra fer_train.train flags]
set -uo pipefail
cd "$(dirname "$0")/../.."
BUDGET_S=${BUDGET_S:-420}
ARCH=${ARCH:-vgg-l}
EPOCHS=${EPOCHS:-300}
DATA=training/gpu/data
RUN=${RUN_DIR:-/tmp/fer-gpu-run}
OUT=${OUT:?run this through the device tool, which sets OUT}
PYTHON=${PYTHON:-python3}  # on the GPU machine, the python3 first on PATH holds PyTorch
export PYTHONUNBUFFERED=1 PYTHONPATH=training
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
"$PYTHON" -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, torch.cuda.get_device_name(0))"
# The inner timeout keeps a slow epoch from eating the device call: what was reached still comes back.
timeout $((BUDGET_S + 90)) "$PYTHON" -m fer_train.train --out "$RUN" --arch "$ARCH" --epochs "$EPOCHS" \
  --train-csv "$DATA/train.fer.xz" --val-csv "$DATA/publictest.fer.xz" --data-dir "$DATA" --drop-not-face \
  --seed 1 --device cuda --amp --batch-size 128 --lr 0.04 --max-seconds "$BUDGET_S" --checkpoint-every 100000 "$@" \
  2>&1 | tee "$OUT/train.out"
rc=${PIPESTATUS[0]}
# The weights come back as plain arrays and JSON, not as a pickle: the export here runs an older torch.
if [[ -f $RUN/best.pt ]]; then
  "$PYTHON" - "$RUN/best.pt" "$RUN/best-weights.npz" "$OUT/best-meta.json" <<'PY'
import json, sys
import numpy as np, torch
state = torch.load(sys.argv[1], map_location="cpu", weights_only=False)
np.savez(sys.argv[2], **{name: tensor.numpy() for name, tensor in state["net"].items()})
json.dump({k: v for k, v in state.items() if k != "net"}, open(sys.argv[3], "w"), indent=2)
PY
  split -b 15M -d "$RUN/best-weights.npz" "$OUT/best-weights.npz.part-"
fi
cp "$RUN/log.csv" "$OUT/" 2>/dev/null
cp "$RUN/run.json" "$OUT/" 2>/dev/null
ls -la "$OUT"
exit "$rc"
