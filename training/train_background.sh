#!/usr/bin/env bash
# Starts (or resumes) the shipped model's training run in the background, niced so builds and tests keep
# their share of a small machine. Re-running it resumes from training/runs/<run>/last.pt.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${RUN:-vgg-m}
mkdir -p "training/runs/$RUN"
if pgrep -f "fer_train.train --out training/runs/$RUN" >/dev/null; then
  echo "training run $RUN is already running"; exit 0
fi
PYTHON=${PYTHON:-/usr/bin/python3}
PYTHONPATH=training nohup nice -n 10 "$PYTHON" -m fer_train.train --out "training/runs/$RUN" --arch vgg-m --epochs 100 \
  --threads "${THREADS:-2}" --drop-not-face --seed 1 "$@" >> "training/runs/$RUN/train.out" 2>&1 &
echo "training run $RUN started (pid $!); log: training/runs/$RUN/train.out"
