#!/usr/bin/env bash
# The GPU training kit, run on the development machine around one device call (training/gpu/README.md).
#   kit.sh pack [DATA_DIR]      pack FER2013 into training/gpu/data (ignored by git, carried to the device)
#   kit.sh stash                take the tracked checkpoints and ONNX files out of what travels (the tree
#                               must stay under 64 MiB): out of the index, and the ONNX files out of the tree
#   kit.sh restore              put them back
#   kit.sh collect FILES_AT RUN rebuild what run.sh returned into training/runs/RUN (best.pt, log.csv, curve.png)
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-/usr/bin/python3}
STASH=${FER_GPU_STASH:-/tmp/fer-gpu-stash}
big_files() { git ls-files 'training/runs/*.pt' 'models/*.onnx'; }

case ${1:-} in
  pack)
    PYTHONPATH=training "$PYTHON" -m fer_train.pack --data-dir "${2:-../shared/data/fer2013}" --out training/gpu/data ;;
  stash)
    # Out of the index, so nothing travels that git still calls tracked. Checkpoints stay where they are: once
    # untracked they are ignored (training/runs/*/*.pt) and stay behind, and a CPU run may go on writing them.
    # The ONNX files are not ignored, so they leave the tree for the call.
    mkdir -p "$STASH"
    big_files > "$STASH/files"
    while read -r f; do
      git rm -q --cached -- "$f"
      if [[ $f == *.onnx ]]; then mkdir -p "$STASH/$(dirname "$f")" && mv "$f" "$STASH/$f"; fi
    done < "$STASH/files"
    echo "travels: $(git ls-files -co --exclude-standard -z | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1) bytes in the tree, plus the carried data:"
    du -cb training/gpu/data/* | tail -1 ;;
  restore)
    while read -r f; do
      if [[ -f $STASH/$f ]]; then mv "$STASH/$f" "$f"; fi
      git reset -q -- "$f"
    done < "$STASH/files" ;;
  collect)
    files_at=${2:?FILES_AT from the device reply}; run=training/runs/${3:?run name}
    mkdir -p "$run"
    cat "$files_at"/best-weights.npz.part-* > "$run/best-weights.npz"
    # best.pt rebuilt here, by this torch, from plain arrays: no pickle crosses torch versions.
    PYTHONPATH=training "$PYTHON" - "$run/best-weights.npz" "$files_at/best-meta.json" "$run/best.pt" <<'PY'
import json, sys
import numpy as np, torch
weights = np.load(sys.argv[1])
state = json.load(open(sys.argv[2]))
state["net"] = {name: torch.from_numpy(weights[name].copy()) for name in weights.files}
torch.save(state, sys.argv[3])
PY
    rm "$run/best-weights.npz"
    cp "$files_at/log.csv" "$run/log.csv"
    [[ -f $files_at/run.json ]] && cp "$files_at/run.json" "$run/run.json"
    PYTHONPATH=training "$PYTHON" -m fer_train.plot "$run/log.csv" "$run/curve.png"
    PYTHONPATH=training "$PYTHON" -c "import sys, torch; s = torch.load(sys.argv[1], map_location='cpu', weights_only=False); \
print(f\"{sys.argv[1]}: {s['arch']} epoch {s['epoch']} PublicTest {s['val_acc']:.4f} ({s['weights']} weights)\")" "$run/best.pt" ;;
  *)
    sed -n '2,8p' "$0"; exit 2 ;;
esac
