"""Export a trained checkpoint to ONNX and write its model card, parity fixture and samples.

  PYTHONPATH=training python3 -m fer_train.export --checkpoint training/runs/vgg-m/best.pt \
      --name fer-cnn --out models

Writes <out>/<name>.onnx, <out>/<name>.card.json and <out>/<name>.card.md. With --fixtures it also
cuts the fixed PublicTest slice that CI uses to prove C# serving matches training.
"""
import argparse
import csv
import datetime
import gzip
import hashlib
import json
import os
import platform
import time

import numpy as np
import onnx
import torch

from . import EMOTIONS
from .data import DEFAULT_DATA_DIR, load_cached, run_cache_dir, sha256_of
from .model import PIXEL_MEAN, PIXEL_STD, ServingModel, count_macs, count_parameters, load_trained, predict_probabilities

PARITY_SLICE = 300  # first rows of PublicTest, re-evaluated in C# by CI


def export_arguments(description, name, opset):
    """The options every export script shares: the checkpoint in, the model's name and folder out, the card's inputs."""
    p = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--name", default=name)
    p.add_argument("--out", default="models")
    p.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    p.add_argument("--val-csv", default=None, help="default: <data-dir>/publictest.csv.gz")
    p.add_argument("--fixtures", default=None, help="folder for the parity slice (e.g. tests/fixtures)")
    p.add_argument("--training-note", default="", help="where and how long it trained, for the card")
    p.add_argument("--opset", type=int, default=opset)
    add_temperature_arguments(p)
    return p


def parse_args(argv=None):
    p = export_arguments(__doc__, name="fer-cnn", opset=17)
    p.add_argument("--flip-tta", action="store_true", help="average the prediction with the mirrored face, inside the graph")
    return p.parse_args(argv)


COMMAND_OPTIONS = ("out", "arch", "epochs", "batch_size", "lr", "weight_decay", "label_smoothing", "seed", "device")
COMMAND_FLAGS = ("drop_not_face", "amp")


def training_command(train_args):
    """The command line that reproduces the run, from the arguments the checkpoint recorded."""
    parts = [f"--{k.replace('_', '-')} {train_args[k]}" for k in COMMAND_OPTIONS if k in train_args]
    if train_args.get("swa_epochs"):
        parts += [f"--swa-epochs {train_args['swa_epochs']}", f"--swa-lr {train_args['swa_lr']}"]
    if train_args.get("holdout"):
        parts.append(f"--holdout {train_args['holdout']}")
    if train_args.get("teacher"):
        parts += ["--teacher " + " ".join(train_args["teacher"]), f"--kd-temperature {train_args['kd_temperature']}",
                  f"--kd-label-weight {train_args['kd_label_weight']}"]
        if train_args.get("teacher_flip"):
            parts.append("--teacher-flip")
        if train_args.get("teacher_int8"):
            parts.append(f"--teacher-int8 {train_args['teacher_int8']}")
    parts += [f"--{k.replace('_', '-')}" for k in COMMAND_FLAGS if train_args.get(k)]
    return "PYTHONPATH=training /usr/bin/python3 -m fer_train.train " + " ".join(parts)


def confusion(y_true, y_pred):
    m = np.zeros((7, 7), dtype=np.int64)
    for t, q in zip(y_true, y_pred):
        m[t, q] += 1
    return m


def per_class(m):
    rows = []
    for i, name in enumerate(EMOTIONS):
        tp, support, predicted = m[i, i], m[i].sum(), m[:, i].sum()
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append({"label": name, "precision": round(float(precision), 4), "recall": round(float(recall), 4),
                     "f1": round(float(f1), 4), "support": int(support)})
    return rows


def main(argv=None):
    args = parse_args(argv)
    state, net = load_trained(args.checkpoint)
    temperature = temperature_of(args.temperature, args.temperature_json)
    serving = ServingModel(net, flip_tta=args.flip_tta, temperature=temperature).eval()

    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, f"{args.name}.onnx")
    export_onnx(serving, onnx_path, args.name, state["arch"], args.opset)

    val_csv = args.val_csv or os.path.join(args.data_dir, "publictest.csv.gz")
    x_val, y_val = load_cached(val_csv, run_cache_dir(os.path.dirname(args.checkpoint)))
    probs = predict_probabilities(serving, x_val)
    card = build_card(args.name, onnx_path, state, net, args.checkpoint, args.data_dir, y_val, probs.argmax(1),
                      flip_tta=args.flip_tta, training_note=args.training_note,
                      calibration=calibration_record(args.temperature, args.temperature_json))
    write_card(card, args.out)
    if args.fixtures:
        write_parity_fixture(args.fixtures, args.name, x_val, y_val, probs)
    print(json.dumps({"onnx": onnx_path, "publictest_accuracy": card["publictest"]["accuracy"], "sha256": card["sha256"]}))


def export_onnx(serving, onnx_path, name, arch, opset, extra_metadata=None):
    """The serving module as ONNX with a dynamic batch axis and the metadata C# reads (model_name, labels)."""
    dummy = torch.rand(2, 1, 48, 48)
    torch.onnx.export(serving, dummy, onnx_path, input_names=["pixels"], output_names=["probabilities"],
                      dynamic_axes={"pixels": {0: "batch"}, "probabilities": {0: "batch"}},
                      opset_version=opset, do_constant_folding=True)
    model = onnx.load(onnx_path)
    for key, value in {"model_name": name, "labels": ",".join(EMOTIONS), "architecture": arch,
                       "input": "pixels [N,1,48,48] float32 grayscale in [0,1]",
                       "output": "probabilities [N,7] float32, FER2013 order", **(extra_metadata or {})}.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    onnx.save(model, onnx_path)
    return model


def add_temperature_arguments(p):
    p.add_argument("--temperature", type=float, default=None,
                   help="divide the logits by this before the softmax, inside the graph (default 1: no node)")
    p.add_argument("--temperature-json", default=None,
                   help="temperature.json written by fer_train.fit_temperature on held-out Training rows; recorded on the card")


def temperature_of(temperature, temperature_json):
    if temperature_json:
        with open(temperature_json) as f:
            fitted = float(json.load(f)["temperature"])
        if temperature is not None and abs(temperature - fitted) > 1e-9:
            raise SystemExit(f"--temperature {temperature} contradicts {temperature_json} ({fitted})")
        return fitted
    return 1.0 if temperature is None else float(temperature)


def calibration_record(temperature, temperature_json):
    """What the card says about the scores' calibration: the folded temperature and the data it was fitted on."""
    t = temperature_of(temperature, temperature_json)
    if temperature_json:
        with open(temperature_json) as f:
            fitted = json.load(f)
        return {"temperature": t, "fitted_on": fitted["fitted_on"], "holdout_rows": fitted["rows"],
                "holdout_ece_before": fitted["ece_before"], "holdout_ece_after": fitted["ece_after"],
                "holdout_nll_before": fitted["nll_before"], "holdout_nll_after": fitted["nll_after"]}
    if t == 1.0:
        return {"temperature": 1.0, "fitted_on": None,
                "note": "no temperature folded: this checkpoint was fitted on all of Training (its run records no "
                        "--holdout), so no rows unseen by the fit are left to fit one on, and PublicTest is never used for it"}
    return {"temperature": t, "fitted_on": "given on the command line"}


def build_card(name, onnx_path, state, net, checkpoint, data_dir, y_val, pred, flip_tta=False, training_note="",
               calibration=None, quantisation=None):
    """The model card of an exported graph from what PyTorch measured on PublicTest; card.py adds C#'s figures.
    Throughput of the exported graph in PyTorch is not what serving sees; the C# benchmark measures that."""
    m = confusion(y_val, pred)
    accuracy = float((pred == y_val).mean())
    train_args = state.get("args", {})
    views = 2 if flip_tta else 1
    card = {
        "name": name,
        "file": os.path.basename(onnx_path),
        "sha256": sha256_of(onnx_path),
        "architecture": state["arch"],
        "parameters": count_parameters(net),
        "macs_per_image": count_macs(net) * views,
        "flops_per_image": 2 * count_macs(net) * views,
        "flip_tta_in_graph": flip_tta,
        "labels": EMOTIONS,
        "input": {"name": "pixels", "shape": ["N", 1, 48, 48], "dtype": "float32",
                  "range": "[0,1] = gray byte / 255"},
        "output": {"name": "probabilities", "shape": ["N", 7], "dtype": "float32", "order": EMOTIONS},
        "preprocessing": {
            "grayscale": "ITU-R BT.601 luma, (299 R + 587 G + 114 B + 500) / 1000, alpha ignored",
            "resize": "to 48x48: area averaging when shrinking, bilinear (half-pixel centres) when enlarging; FER2013 images are already 48x48",
            "scale": "pixel / 255",
            "normalisation_in_graph": {"mean": PIXEL_MEAN, "std": PIXEL_STD},
        },
        "publictest": {
            "count": int(len(y_val)),
            "accuracy": round(accuracy, 4),
            "per_class": per_class(m),
            "confusion": m.tolist(),
        },
        "training": {
            "command": training_command(train_args),
            "epochs_trained": state.get("epoch"),
            "selected_weights": state.get("weights", "net"),
            "seed": train_args.get("seed"),
            "drop_not_face": train_args.get("drop_not_face", False),
            "holdout_rows": train_args.get("holdout", 0),
            "torch": torch.__version__,
            "python": platform.python_version(),
            "hardware": training_note or platform.processor() or platform.machine(),
            "exported_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        },
        "data": {f: sha256_of(os.path.join(data_dir, f))
                 for f in ("train.csv.gz", "publictest.csv.gz") if os.path.exists(os.path.join(data_dir, f))},
    }
    if calibration is not None:
        card["calibration"] = calibration
    if quantisation is not None:
        card["quantisation"] = quantisation
    log_csv = os.path.join(os.path.dirname(checkpoint), "log.csv")
    if os.path.exists(log_csv):
        with open(log_csv) as f:
            rows = list(csv.DictReader(f))
        if rows:
            card["training"]["wall_seconds"] = float(rows[-1]["wall_seconds"])
            card["training"]["epochs_logged"] = len(rows)
            # The log outlives the selection: training goes on after best.pt was written, so the time it took
            # to reach the shipped weights is the selected epoch's row, not the last one.
            selected = [r for r in rows if int(r["epoch"]) == state.get("epoch")]
            if selected:
                card["training"]["wall_seconds_to_selected_epoch"] = float(selected[0]["wall_seconds"])
    return card


def write_card(card, out):
    with open(os.path.join(out, f"{card['name']}.card.json"), "w") as f:
        json.dump(card, f, indent=2)
    write_markdown_card(card, os.path.join(out, f"{card['name']}.card.md"))


def write_parity_fixture(fixtures, name, x_val, y_val, probs):
    """tests/fixtures/publictest-slice.<name>.expected.json: PyTorch's predictions on the first PublicTest rows."""
    os.makedirs(fixtures, exist_ok=True)
    n = PARITY_SLICE
    csv_path = os.path.join(fixtures, "publictest-slice.csv.gz")
    if not os.path.exists(csv_path):
        with gzip.GzipFile(csv_path, "wb", mtime=0) as gz:
            gz.write(b"emotion,pixels\n")
            for img, label in zip(x_val[:n], y_val[:n]):
                gz.write(f"{label},{' '.join(map(str, img.reshape(-1)))}\n".encode())
    pred = probs[:n].argmax(1)
    expected = {
        "model": name,
        "rows": n,
        "source": "first rows of FER2013 PublicTest",
        "accuracy": float((pred == y_val[:n]).mean()),
        "confusion": confusion(y_val[:n], pred).tolist(),
        "predicted": pred.tolist(),
        "probabilities": np.round(probs[:n], 6).tolist(),
    }
    with open(os.path.join(fixtures, f"publictest-slice.{name}.expected.json"), "w") as f:
        json.dump(expected, f)
    return expected


def write_markdown_card(card, path):
    pt = card["publictest"]
    lines = [
        f"# Model card: {card['name']}",
        "",
        f"- File: `{card['file']}` (SHA-256 `{card['sha256']}`)",
        f"- Architecture: {card['architecture']}, {card['parameters']:,} parameters, "
        f"{card['flops_per_image'] / 1e6:.0f} MFLOPs per image" + (" (flip TTA in graph)" if card["flip_tta_in_graph"] else ""),
        f"- Input `pixels` float32 [N,1,48,48], grayscale / 255; output `probabilities` float32 [N,7]",
        f"- Labels (output order): {', '.join(card['labels'])}",
        f"- Preprocessing: {card['preprocessing']['grayscale']}; {card['preprocessing']['resize']}; "
        f"normalisation (x - {card['preprocessing']['normalisation_in_graph']['mean']}) / "
        f"{card['preprocessing']['normalisation_in_graph']['std']} inside the graph",
        "",
        f"## PublicTest ({pt['count']} images): accuracy {pt['accuracy'] * 100:.2f}%",
        "",
        "| label | precision | recall | F1 | support |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [f"| {c['label']} | {c['precision']:.3f} | {c['recall']:.3f} | {c['f1']:.3f} | {c['support']} |" for c in pt["per_class"]]
    lines += ["", "Confusion matrix (rows: true, columns: predicted):", "",
              "| true \\ predicted | " + " | ".join(card["labels"]) + " |",
              "| --- |" + " ---: |" * 7]
    lines += [f"| {card['labels'][i]} | " + " | ".join(str(v) for v in row) + " |" for i, row in enumerate(pt["confusion"])]
    if "serving_parity" in card:
        sp = card["serving_parity"]
        lines += ["", f"C# serving (`fer eval`, the workers' preprocessing): accuracy {sp['csharp_accuracy'] * 100:.2f}%, "
                  f"{sp['difference_pp']:.2f} pp from the figure above; confusion matrix "
                  + ("identical" if sp["confusion_identical"] else "differs") + f". Command: `{sp['command']}`"]
    if "quantisation" in card:
        q = card["quantisation"]
        fq = q["fake_quant_slice"]
        lines += ["", "## Quantisation", "",
                  f"- {q['scheme']}; weights: {q['weights']}; activations: {q['activations']}",
                  f"- Float parts: {q['float_parts']}",
                  f"- Calibration: {q['calibration']['images']} {q['calibration']['rows']} (seed {q['calibration']['seed']})",
                  f"- The PublicTest figure above is PyTorch's fake-quant model; on the {fq['rows']}-row parity slice it scores "
                  f"{fq['accuracy'] * 100:.2f}%, which C# must match within {fq['accuracy_tolerance'] * 100:.2f} pp "
                  f"(tests/Fer.Tests/Parity)",
                  f"- Command: `{q['command']}`"]
    if "calibration" in card:
        c = card["calibration"]
        line = f"- Temperature folded into the graph (logits / T before the softmax): T = {c['temperature']:g}"
        if c.get("fitted_on"):
            line += (f", fitted on {c['fitted_on']} ({c.get('holdout_rows')} rows; ECE there "
                     f"{c.get('holdout_ece_before', 0):.4f} -> {c.get('holdout_ece_after', 0):.4f})")
        elif c.get("note"):
            line += f" ({c['note']})"
        lines += ["", "## Calibration", "", line]
        if "publictest_ece" in c:
            lines += [f"- PublicTest ECE (15 equal-width bins of the top score, C# `fer eval`): {c['publictest_ece']:.4f}"]
    if "serving_throughput" in card:
        st = card["serving_throughput"]
        lines += ["", f"## Serving throughput (ONNX Runtime {st['runtime']}, CPU)", "",
                  f"- {st['images_per_second']:.0f} images/s on {st['machine']}: best of one run of all cores "
                  f"(batch {st['best_batch_size']}: " + ", ".join(f"{b['batch_size']}→{b['images_per_second']:.0f}" for b in st["by_batch_size"]) +
                  f") and {st['concurrent_runs']} concurrent runs at that batch ({st['concurrent_images_per_second']:.0f}/s)",
                  f"- Measured with `{st['command']}` at {st['measured_at']}",
                  "- GPU: not measured (no GPU machine was lent to this work)" if not st.get("gpu") else f"- GPU: {st['gpu']}"]
    t = card["training"]
    lines += ["", "## Training", "",
              f"- Command: `{t['command']}`",
              f"- Epochs: {t.get('epochs_logged', t['epochs_trained'])} logged, weights from epoch {t['epochs_trained']} ({t['selected_weights']})",
              f"- Seed {t['seed']}, torch {t['torch']}, Python {t['python']}",
              f"- Hardware: {t['hardware']}",
              f"- Wall time: {t.get('wall_seconds_to_selected_epoch', t.get('wall_seconds', 0)) / 3600:.2f} h to the selected epoch, "
              f"{t.get('wall_seconds', 0) / 3600:.2f} h logged in all",
              "", "## Data", ""]
    lines += [f"- `{k}` SHA-256 `{v}`" for k, v in card["data"].items()]
    lines += ["", "FER2013 (Goodfellow et al. 2013), research and non-commercial use only.", ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
