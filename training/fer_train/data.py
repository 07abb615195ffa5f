"""FER2013 Kaggle-format CSV loading, cached as uint8 arrays next to the output folder."""
import csv
import gzip
import hashlib
import io
import lzma
import os

import numpy as np

# The FER2013 folder beside the repository (../shared/data/fer2013); every tool takes --data-dir to point elsewhere.
DEFAULT_DATA_DIR = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "fer2013"))


def run_cache_dir(run_dir):
    """The decoded-CSV cache shared by the runs in one folder (training/runs/cache beside training/runs/<run>)."""
    return os.path.join(run_dir, "..", "cache")


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


# A packed split: xz over np.save(images) then np.save(labels). The delta filter (distance = one image row)
# codes each pixel against the one above it: ~30 % smaller than the gzipped CSV, small enough to travel.
PACKED_SUFFIX = ".fer.xz"
PACK_FILTERS = [{"id": lzma.FILTER_DELTA, "dist": 48}, {"id": lzma.FILTER_LZMA2, "preset": 9}]


def write_packed(path, images, labels):
    with lzma.open(path, "wb", format=lzma.FORMAT_XZ, filters=PACK_FILTERS) as handle:
        np.save(handle, np.ascontiguousarray(images, dtype=np.uint8))
        np.save(handle, np.asarray(labels, dtype=np.int64))


def read_packed(path):
    with lzma.open(path, "rb") as handle:
        images = np.load(handle)
        labels = np.load(handle)
    if images.ndim != 3 or images.shape[1:] != (48, 48) or len(images) != len(labels):
        raise ValueError(f"{path}: expected images [N,48,48] and N labels, got {images.shape} and {labels.shape}")
    return images, labels


def load_cached(path, cache_dir):
    """Parsing 28k CSV rows takes ~20 s; the .npz cache makes restarts instant. Packed splits load directly."""
    if path.endswith(PACKED_SUFFIX):
        return read_packed(path)
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


def stratified_holdout(labels, count, seed):
    """Sorted indices of `count` rows kept out of the fit: every class in proportion to its share (largest remainder),
    the rows of each class drawn by one seeded permutation, so the same (labels, count, seed) gives the same slice."""
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    if count >= len(labels):
        raise ValueError(f"--holdout {count} leaves nothing to fit on ({len(labels)} rows)")
    classes, counts = np.unique(labels, return_counts=True)
    exact = counts * count / len(labels)
    quota = np.floor(exact).astype(np.int64)
    for i in np.argsort(-(exact - quota), kind="stable")[:count - quota.sum()]:
        quota[i] += 1
    rng = np.random.RandomState(seed)
    picked = [rng.permutation(np.flatnonzero(labels == c))[:q] for c, q in zip(classes, quota)]
    return np.sort(np.concatenate(picked)).astype(np.int64)


def training_split(labels, holdout, seed, not_face=None):
    """(fit rows, held-out rows) of the Training CSV as index arrays. The held-out slice is drawn over all rows
    (before any not-a-face filter, so it does not move when the filter changes); `not_face` rows, when given, leave
    both parts."""
    held = np.zeros(len(labels), dtype=bool)
    held[stratified_holdout(labels, holdout, seed)] = True
    keep = np.ones(len(labels), dtype=bool) if not_face is None else ~not_face
    return np.flatnonzero(keep & ~held), np.flatnonzero(keep & held)


def split_digest(indices):
    """A short fingerprint of an index set, recorded in run.json so a later tool can prove it rebuilt the same slice."""
    return hashlib.sha256(np.asarray(indices, dtype=np.int64).tobytes()).hexdigest()[:16]
