"""Pack FER2013 splits into the compact form that travels to a GPU machine (see training/gpu/README.md).

  PYTHONPATH=training /usr/bin/python3 -m fer_train.pack --data-dir ../shared/data/fer2013 --out training/gpu/data

Writes train.fer.xz and publictest.fer.xz (uint8 images + labels, lossless), a copy of
ferplus-labels.csv (for --drop-not-face) and manifest.json with the SHA-256 of every source file.
"""
import argparse
import json
import os
import shutil

import numpy as np

from .data import PACKED_SUFFIX, load_cached, read_packed, sha256_of, write_packed

SPLITS = {"train": "train.csv.gz", "publictest": "publictest.csv.gz"}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--cache", default=os.path.join("training", "runs", "cache"))
    args = p.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    manifest = {"sources": {}, "packed": {}}
    for split, csv_name in SPLITS.items():
        source = os.path.join(args.data_dir, csv_name)
        target = os.path.join(args.out, split + PACKED_SUFFIX)
        images, labels = load_cached(source, args.cache)
        write_packed(target, images, labels)
        again, again_labels = read_packed(target)
        if not (np.array_equal(images, again) and np.array_equal(labels, again_labels)):
            raise SystemExit(f"{target}: round trip differs from {source}")
        manifest["sources"][csv_name] = sha256_of(source)
        manifest["packed"][os.path.basename(target)] = {"rows": int(len(labels)), "bytes": os.path.getsize(target)}
        print(f"{source} -> {target}: {len(labels)} rows, {os.path.getsize(target) / 1e6:.1f} MB", flush=True)
    ferplus = os.path.join(args.data_dir, "ferplus-labels.csv")
    if os.path.exists(ferplus):
        shutil.copyfile(ferplus, os.path.join(args.out, "ferplus-labels.csv"))
        manifest["sources"]["ferplus-labels.csv"] = sha256_of(ferplus)
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)


if __name__ == "__main__":
    main()
