"""Fit the temperature of a checkpoint's scores on the Training rows its run held out (train.py --holdout).

  PYTHONPATH=training /usr/bin/python3 -m fer_train.fit_temperature --checkpoint training/runs/<run>/best.pt
  PYTHONPATH=training /usr/bin/python3 -m fer_train.export --checkpoint training/runs/<run>/best.pt \
      --temperature-json training/runs/<run>/temperature.json      (and export_int8 the same way)

Temperature scaling (Guo et al. 2017): one scalar T > 0 minimising the negative log-likelihood of softmax(logits / T)
on data the weights never saw, found by LBFGS over log T. It changes no prediction (argmax is unchanged), only
how confident the scores are. The rows are the run's own held-out slice, rebuilt from its recorded --holdout and
--holdout-seed and checked against run.json's digest. PublicTest selects the weights, so it never fits T; a
checkpoint fitted on all of Training has no held-out rows, and this tool refuses it (exit 2) rather than fit on
rows the network has memorised, which would push T the wrong way.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
from torch.nn import functional as F

from .data import DEFAULT_DATA_DIR, ferplus_not_face_mask, load_cached, run_cache_dir, split_digest, training_split
from .model import PIXEL_MEAN, PIXEL_STD, load_trained

ECE_BINS = 15  # the definition fer eval uses (Fer.Core calibration): equal-width bins of the top score


def expected_calibration_error(probs, labels, bins=ECE_BINS):
    """Sum over equal-width bins of the top score of |accuracy - mean confidence| weighted by the bin's share."""
    confidence = probs.max(1)
    correct = (probs.argmax(1) == labels).astype(np.float64)
    # Bin i holds [i/bins, (i+1)/bins), a score of 1 the last bin: Fer.Core's CalibrationCurve.BinOf.
    index = np.clip(np.floor(confidence * bins).astype(np.int64), 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        members = index == b
        if members.any():
            ece += members.mean() * abs(correct[members].mean() - confidence[members].mean())
    return float(ece)


def fit_temperature(logits, labels, max_iter=200):
    """(T, NLL before, NLL after) for float logits [N,C] and int labels [N]. Optimises log T, so T stays positive."""
    logits = torch.as_tensor(logits, dtype=torch.float64)
    labels = torch.as_tensor(labels, dtype=torch.long)
    log_t = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=max_iter, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = F.cross_entropy(logits / log_t.exp(), labels)
        loss.backward()
        return loss

    with torch.no_grad():
        before = float(F.cross_entropy(logits, labels))
    optimizer.step(closure)
    t = float(log_t.exp())
    with torch.no_grad():
        after = float(F.cross_entropy(logits / t, labels))
    return t, before, after


@torch.no_grad()
def logits_of(net, images_u8, batch=512):
    net.eval()
    out = []
    for i in range(0, len(images_u8), batch):
        x = torch.from_numpy(images_u8[i:i + batch]).float().unsqueeze(1) / 255.0
        out.append(net((x - PIXEL_MEAN) / PIXEL_STD).double())
    return torch.cat(out).numpy()


def held_out_rows(state, data_dir, cache_dir, train_csv=None):
    """The checkpoint's held-out Training rows (images, labels, record), rebuilt from its arguments."""
    train_args = state.get("args", {})
    holdout = train_args.get("holdout", 0)
    if not holdout:
        return None
    path = train_csv or train_args.get("train_csv") or os.path.join(data_dir, "train.csv.gz")
    x, y = load_cached(path, cache_dir)
    not_face = None
    if train_args.get("drop_not_face"):
        not_face = ferplus_not_face_mask(os.path.join(data_dir, "ferplus-labels.csv"), 0, len(x))
    _, held = training_split(y, holdout, train_args.get("holdout_seed", 0), not_face)
    return x[held], y[held], {"requested": holdout, "seed": train_args.get("holdout_seed", 0), "rows": int(len(held)),
                              "digest": split_digest(held), "of": os.path.basename(path)}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    p.add_argument("--train-csv", default=None, help="default: the Training CSV the run recorded")
    p.add_argument("--out", default=None, help="default: temperature.json beside the checkpoint")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)

    state, net = load_trained(args.checkpoint)
    run_dir = os.path.dirname(args.checkpoint)
    held = held_out_rows(state, args.data_dir, run_cache_dir(run_dir), args.train_csv)
    if held is None:
        print(f"{args.checkpoint}: its run held no Training rows out of the fit (train.py --holdout), so there is "
              "nothing unseen to fit a temperature on; PublicTest is not used for it. Ship T = 1 or retrain with "
              "--holdout.", file=sys.stderr)
        sys.exit(2)
    x, y, record = held
    run_json = os.path.join(run_dir, "run.json")
    if os.path.exists(run_json):
        with open(run_json) as f:
            recorded = json.load(f).get("holdout")
        if recorded and recorded.get("digest") != record["digest"]:
            sys.exit(f"held-out rows rebuilt as {record['digest']}, {run_json} recorded {recorded.get('digest')}: "
                     "a different Training CSV or split rule")

    logits = logits_of(net, x)
    t, nll_before, nll_after = fit_temperature(logits, y)
    probs_before = torch.softmax(torch.from_numpy(logits), 1).numpy()
    probs_after = torch.softmax(torch.from_numpy(logits / t), 1).numpy()
    result = {
        "temperature": round(t, 6),
        "fitted_on": f"{record['rows']} Training rows held out from the fit (--holdout {record['requested']} "
                     f"--holdout-seed {record['seed']}, digest {record['digest']})",
        "rows": record["rows"],
        "holdout": record,
        "accuracy": float((logits.argmax(1) == y).mean()),
        "nll_before": round(nll_before, 6),
        "nll_after": round(nll_after, 6),
        "ece_before": round(expected_calibration_error(probs_before, y), 6),
        "ece_after": round(expected_calibration_error(probs_after, y), 6),
        "checkpoint": os.path.relpath(args.checkpoint),
        "command": f"PYTHONPATH=training /usr/bin/python3 -m fer_train.fit_temperature --checkpoint {os.path.relpath(args.checkpoint)}",
    }
    out = args.out or os.path.join(run_dir, "temperature.json")
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
