"""FER2013 Kaggle-format CSV loading, cached as uint8 arrays next to the output folder."""
import csv
import gzip
import hashlib
import io
import os

import numpy as np


def _open_text(path):
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, "r", encoding="utf-8", newline="")


def read_fer_csv(path):
    """Returns (images uint8 [N,48,48], labels int64 [N]). Accepts emotion,pixels[,Usage]."""
    images, labels = [], []
    with _open_text(path) as handle:
        reader = csv.reader(handle)
        header = next(reader)
        e_col, p_col = header.index("emotion"), header.index("pixels")
        for line_no, row in enumerate(reader, start=2):
            pixels = np.array(row[p_col].split(), dtype=np.uint8)
            if pixels.size != 48 * 48:
                raise ValueError(f"{path}:{line_no}: expected 2304 pixels, got {pixels.size}")
            images.append(pixels.reshape(48, 48))
            labels.append(int(row[e_col]))
    return np.stack(images), np.array(labels, dtype=np.int64)


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_cached(path, cache_dir):
    """Parsing 28k CSV rows takes ~20 s; the .npz cache makes restarts instant."""
    os.makedirs(cache_dir, exist_ok=True)
    stat = os.stat(path)
    key = f"{os.path.basename(path)}.{stat.st_size}.npz"
    cache = os.path.join(cache_dir, key)
    if os.path.exists(cache):
        data = np.load(cache)
        return data["x"], data["y"]
    x, y = read_fer_csv(path)
    np.savez(cache, x=x, y=y)
    return x, y


def ferplus_not_face_mask(ferplus_path, first_row, count):
    """True for rows whose FERPlus crowd majority says 'not a face' (NF); rows match by position."""
    with open(ferplus_path, "r", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        nf_col = header.index("NF")
        vote_cols = list(range(nf_col - 9, nf_col + 1))
        rows = list(reader)[first_row:first_row + count]
    mask = np.zeros(count, dtype=bool)
    for i, row in enumerate(rows):
        votes = [int(row[c] or 0) for c in vote_cols]
        mask[i] = votes[-1] > max(votes[:-1])
    return mask
