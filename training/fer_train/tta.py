"""Measure test-time augmentation on PublicTest before putting it into the graph: the accuracy of each view
(identity, mirror, 2-pixel shifts and their mirrors, 10 % zoom and its mirror) and of their averages.

  PYTHONPATH=training /usr/bin/python3 -m fer_train.tta --checkpoint training/runs/vgg-m/best.pt [--only-flip]

Only `export --flip-tta` ships in a graph today; a view set that beats it here is worth building into
ServingModel, at its cost in throughput (one forward pass per view).
"""
import argparse
import os

import numpy as np
import torch
from torch.nn import functional as F

from .data import DEFAULT_DATA_DIR, load_cached, run_cache_dir
from .model import ServingModel, load_trained, predict_probabilities

SHIFT = 2  # pixels: the order of the training-time shift is 12 %, but test views must stay close to the face


def shifted(x, dx, dy):
    padded = F.pad(x, (SHIFT, SHIFT, SHIFT, SHIFT), mode="replicate")
    return padded[:, :, SHIFT + dy:SHIFT + dy + 48, SHIFT + dx:SHIFT + dx + 48]


def zoomed(x, scale):
    size = int(round(48 * scale))
    resized = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
    offset = (size - 48) // 2
    return resized[:, :, offset:offset + 48, offset:offset + 48]


def mirrored(view):
    return lambda x: torch.flip(view(x), dims=[3])


def views():
    base = {"identity": lambda x: x, "zoom 1.1": lambda x: zoomed(x, 1.1)}
    for dx, dy in ((-SHIFT, 0), (SHIFT, 0), (0, -SHIFT), (0, SHIFT)):
        base[f"shift {dx:+d},{dy:+d}"] = (lambda a, b: lambda x: shifted(x, a, b))(dx, dy)
    all_views = dict(base)
    all_views.update({f"mirror of {name}": mirrored(view) for name, view in base.items()})
    return all_views


VIEWS = views()
FLIP_SET = "identity + mirror (export --flip-tta)"
VIEW_SETS = {
    FLIP_SET: ["identity", "mirror of identity"],
    "identity + mirror + shifts (10 views)": [n for n in VIEWS if not n.endswith("zoom 1.1")],
    "identity + mirror + zoom (4 views)": ["identity", "mirror of identity", "zoom 1.1", "mirror of zoom 1.1"],
    "all 12 views": list(VIEWS),
}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    p.add_argument("--val-csv", default=None)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--only-flip", action="store_true",
                   help="measure identity and mirror only (what export --flip-tta ships), in a fraction of the time")
    args = p.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    _, net = load_trained(args.checkpoint)
    serving = ServingModel(net).eval()
    val_csv = args.val_csv or os.path.join(args.data_dir, "publictest.csv.gz")
    x_val, y_val = load_cached(val_csv, run_cache_dir(os.path.dirname(args.checkpoint)))
    # Views act on [0,1] pixels, as serving sees them: flips, replicate padding and bilinear resampling
    # commute with the graph's affine normalisation, so this is what a graph with these views would compute.
    probabilities = {}
    for name, view in VIEWS.items():
        if args.only_flip and name not in VIEW_SETS[FLIP_SET]:
            continue
        probabilities[name] = predict_probabilities(serving, x_val, view=view)
        print(f"{name:24s} {accuracy(probabilities[name], y_val) * 100:6.2f} %", flush=True)
    for name, members in VIEW_SETS.items():
        if not all(m in probabilities for m in members):
            continue
        mean = np.mean([probabilities[m] for m in members], axis=0)
        print(f"{name:40s} {accuracy(mean, y_val) * 100:6.2f} %")


def accuracy(probabilities, labels):
    return float((probabilities.argmax(1) == labels).mean())


if __name__ == "__main__":
    main()
