"""Export a trained checkpoint as an int8 QDQ ONNX model (QuantizeLinear/DequantizeLinear pairs), with its card and
parity fixture. Works for any checkpoint train.py writes; no PyPI package is needed (torch's own quantisation).

  PYTHONPATH=training /usr/bin/python3 -m fer_train.export_int8 --checkpoint training/runs/vgg-m/best.pt \
      --name fer-cnn-int8 --out models --fixtures tests/fixtures

Recipe (post-training quantisation through the QAT modules, so the graph exports as QDQ):
  1. BatchNorm folded into the preceding Conv/Linear, then Conv+ReLU and Linear+ReLU fused;
  2. a QuantStub after the in-graph normalisation, a DeQuantStub before the temperature and softmax, which stay
     float: the scores users threshold are computed exactly as in the fp32 model from the dequantised logits;
  3. activations: FakeQuantize with MinMaxObserver, quint8 0-255, reduce_range=False; weights: per-channel
     symmetric qint8 FakeQuantize (PerChannelMinMaxObserver);
  4. prepare_qat, calibrate the observers on --calibration-images Training rows the model was fitted on (never
     PublicTest, never the --holdout rows), observers off;
  5. torch.onnx.export at opset 13 (per-channel QuantizeLinear needs 13). ONNX Runtime fuses the QDQ pairs into
     QLinearConv/QGemm at session start; the file shipped is the QDQ graph, not an optimised dump.

The card's PublicTest figure and the parity fixture are the PyTorch fake-quant model's, which C# `fer eval` must
reproduce within the tolerance stated on the card (integer kernels round a few values differently).
"""
import copy
import json
import os

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import nn
from torch.ao import quantization as tq

from .data import ferplus_not_face_mask, load_cached, run_cache_dir, training_split
from .export import (PARITY_SLICE, build_card, calibration_record, export_arguments, export_onnx, temperature_of,
                     write_card, write_parity_fixture)
from .model import ServingModel, load_trained, predict_probabilities

# C# (ONNX Runtime's integer kernels) against PyTorch's fake-quant floats on the 300-row parity slice: one
# prediction in 300 may flip where two classes' scores are within a quantisation step (0.34 pp).
SLICE_ACCURACY_TOLERANCE = 1 / PARITY_SLICE + 1e-9
SLICE_PREDICTION_AGREEMENT = 0.99


class QuantisedLogits(nn.Module):
    """net between a QuantStub and a DeQuantStub: float normalised pixels in, float logits out."""

    def __init__(self, net):
        super().__init__()
        self.quant = tq.QuantStub()
        self.net = net
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        return self.dequant(self.net(self.quant(x)))


def fusion_groups(net):
    """Names of [Conv2d, BatchNorm2d, ReLU] and [Linear, BatchNorm1d] / [Linear, ReLU] runs inside Sequentials,
    found by type so any FerVgg width or depth (and any net built from the same blocks) fuses."""
    conv_groups, linear_bn, linear_relu = [], [], []
    for prefix, module in net.named_modules():
        if not isinstance(module, nn.Sequential):
            continue
        children = list(module.named_children())
        name = lambda n: f"{prefix}.{n}" if prefix else n
        for i, (n, child) in enumerate(children):
            following = [c for _, c in children[i + 1:i + 3]]
            if isinstance(child, nn.Conv2d) and len(following) == 2 and isinstance(following[0], nn.BatchNorm2d) \
                    and isinstance(following[1], nn.ReLU):
                conv_groups.append([name(n), name(children[i + 1][0]), name(children[i + 2][0])])
            elif isinstance(child, nn.Linear) and following and isinstance(following[0], nn.BatchNorm1d):
                linear_bn.append([name(n), name(children[i + 1][0])])
                if len(following) == 2 and isinstance(following[1], nn.ReLU):
                    linear_relu.append([name(n), name(children[i + 2][0])])
            elif isinstance(child, nn.Linear) and following and isinstance(following[0], nn.ReLU):
                linear_relu.append([name(n), name(children[i + 1][0])])
    return conv_groups, linear_bn, linear_relu


class NarrowPerChannelMinMaxObserver(tq.PerChannelMinMaxObserver):
    """Per-channel symmetric weight scales for a `weight_bits`-bit range, applied by an ordinary int8 (-128..127)
    fake-quant: the ONNX exporter only accepts the int8/uint8 ranges, so the narrower range is made by widening the
    scale (|w| / scale <= 2^(bits-1) - 0.5, i.e. integers in -64..64 for 7 bits) rather than by quant_min/quant_max."""

    def __init__(self, *args, weight_bits=8, **kwargs):
        super().__init__(*args, **kwargs)
        self.widen = 127.5 / (2 ** (weight_bits - 1) - 0.5)

    def calculate_qparams(self):
        scale, zero_point = super().calculate_qparams()
        return scale * self.widen, zero_point


def qconfig(weight_bits):
    """uint8 activations over their full range (MinMaxObserver, reduce_range=False); symmetric per-channel weights
    of `weight_bits`. 7 is the default because ONNX Runtime's u8s8 kernels on x86 CPUs without VNNI (AVX2,
    AVX-512F) add pairs of u8*s8 products in int16 (vpmaddubsw), which saturates when both are large: 8-bit weights
    measured 67.76 % PublicTest through C# on this AVX2 EPYC against 70.21 % for the same model in PyTorch. With
    weights within +-64 a pair sums to at most 2*255*64 = 32640 < 32767, so every x86 CPU computes what PyTorch did."""
    return tq.QConfig(
        activation=tq.FakeQuantize.with_args(observer=tq.MinMaxObserver, quant_min=0, quant_max=255, dtype=torch.quint8,
                                             qscheme=torch.per_tensor_affine, reduce_range=False),
        weight=tq.FakeQuantize.with_args(observer=NarrowPerChannelMinMaxObserver, weight_bits=weight_bits,
                                         quant_min=-128, quant_max=127, dtype=torch.qint8,
                                         qscheme=torch.per_channel_symmetric, reduce_range=False, ch_axis=0))


def prepare_fake_quant(net, weight_bits=7):
    """The fused, fake-quantised copy of an eval-mode net, observers on (calibrate it, then disable_observer)."""
    fused = copy.deepcopy(net).eval()
    conv_groups, linear_bn, linear_relu = fusion_groups(fused)
    # Eval-mode fusion folds each BatchNorm into its Conv/Linear (running statistics), leaving an Identity behind;
    # Linear+BatchNorm1d+ReLU has no single fuser, so the folded Linear is then fused with its ReLU.
    tq.fuse_modules(fused, conv_groups + linear_bn, inplace=True)
    tq.fuse_modules(fused, linear_relu, inplace=True)
    with torch.no_grad():  # folding is exact up to float rounding; anything more is a fusion bug
        probe = torch.randn(8, 1, 48, 48, generator=torch.Generator().manual_seed(0))
        drift = (fused(probe) - net(probe)).abs().max().item()
    if drift > 1e-3:
        raise SystemExit(f"BatchNorm folding changed the logits by {drift}")
    wrapped = QuantisedLogits(fused)
    wrapped.qconfig = qconfig(weight_bits)
    wrapped.train()  # prepare_qat insists on training mode; dropout is switched off again right after
    tq.prepare_qat(wrapped, inplace=True)
    return wrapped.eval()


@torch.no_grad()
def calibrate(serving, images_u8, batch=250):
    serving.eval()
    predict_probabilities(serving, images_u8, batch=batch)
    serving.apply(tq.disable_observer)


def calibration_images(state, data_dir, count, seed, cache_dir, train_csv=None):
    """`count` Training rows the checkpoint was fitted on (its --holdout and not-a-face rows excluded), seeded."""
    train_args = state.get("args", {})
    path = train_csv or train_args.get("train_csv") or os.path.join(data_dir, "train.csv.gz")
    x, y = load_cached(path, cache_dir)
    not_face = None
    if train_args.get("drop_not_face") and os.path.exists(os.path.join(data_dir, "ferplus-labels.csv")):
        not_face = ferplus_not_face_mask(os.path.join(data_dir, "ferplus-labels.csv"), 0, len(x))
    fit_rows, _ = training_split(y, train_args.get("holdout", 0), train_args.get("holdout_seed", 0), not_face)
    if train_args.get("limit_train"):
        fit_rows = fit_rows[:train_args["limit_train"]]
    chosen = np.sort(np.random.RandomState(seed).permutation(fit_rows)[:count])
    return x[chosen], path, len(chosen)


def store_weights_as_int8(model):
    """torch exports a fake-quantised weight as float initializer -> QuantizeLinear -> DequantizeLinear. Quantise
    those initializers once here (QuantizeLinear's own rule: round half to even, saturate) and keep only the
    DequantizeLinear: the graph means the same, ONNX Runtime fuses it the same way, and the file is ~4x smaller.
    Identity nodes that only forward an initializer (torch's shared zero points) are folded first."""
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    renames = {}
    for node in list(graph.node):
        if node.op_type == "Identity" and node.input[0] in inits:
            renames[node.output[0]] = node.input[0]
            graph.node.remove(node)
    for node in graph.node:
        for k, name in enumerate(node.input):
            if name in renames:
                node.input[k] = renames[name]
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    packed = 0
    for node in list(graph.node):
        if node.op_type != "QuantizeLinear" or node.input[0] not in inits:
            continue
        w = numpy_helper.to_array(inits[node.input[0]]).astype(np.float32)
        scale = numpy_helper.to_array(inits[node.input[1]]).astype(np.float32)
        zero = numpy_helper.to_array(inits[node.input[2]])
        axis = next((a.i for a in node.attribute if a.name == "axis"), 1)
        if scale.ndim == 1:  # per-channel: broadcast along `axis`
            shape = [1] * w.ndim
            shape[axis] = -1
            scale, zero_b = scale.reshape(shape), zero.reshape(shape)
        else:
            zero_b = zero
        info = np.iinfo(zero.dtype)
        q = np.clip(np.rint(w / scale) + zero_b.astype(np.int32), info.min, info.max).astype(zero.dtype)
        name = node.input[0] + "_quantized"
        graph.initializer.append(numpy_helper.from_array(q, name))
        for consumer in consumers.get(node.output[0], []):
            for k, inp in enumerate(consumer.input):
                if inp == node.output[0]:
                    consumer.input[k] = name
        graph.node.remove(node)
        packed += 1
    used = {name for node in graph.node for name in node.input}
    for init in list(graph.initializer):
        if init.name not in used:
            graph.initializer.remove(init)
    onnx.checker.check_model(model)
    return packed


def qdq_op_counts(model):
    counts = {}
    for node in model.graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return {k: counts[k] for k in sorted(counts)}


def main(argv=None):
    p = export_arguments(__doc__, name="fer-cnn-int8", opset=13)
    p.add_argument("--train-csv", default=None, help="calibration rows come from here (default: the run's Training CSV)")
    p.add_argument("--calibration-images", type=int, default=1000)
    p.add_argument("--calibration-seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--weight-bits", type=int, choices=(7, 8), default=7,
                   help="7 (default) is exact on every x86 CPU; 8 saturates in ONNX Runtime without VNNI (see qconfig)")
    args = p.parse_args(argv)
    if args.opset < 13:
        p.error("per-channel QuantizeLinear/DequantizeLinear needs opset 13 or later")
    torch.set_num_threads(args.threads)

    state, net = load_trained(args.checkpoint)
    temperature = temperature_of(args.temperature, args.temperature_json)
    quantised = prepare_fake_quant(net, args.weight_bits)
    serving = ServingModel(quantised, temperature=temperature).eval()
    calib, calib_source, calib_count = calibration_images(state, args.data_dir, args.calibration_images,
                                                          args.calibration_seed,
                                                          run_cache_dir(os.path.dirname(args.checkpoint)), args.train_csv)
    calibrate(serving, calib)

    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, f"{args.name}.onnx")
    model = export_onnx(serving, onnx_path, args.name, state["arch"], args.opset,
                        {"quantisation": "int8 QDQ: per-channel symmetric weights, per-tensor uint8 activations"})
    packed = store_weights_as_int8(model)
    onnx.save(model, onnx_path)
    ops = qdq_op_counts(model)
    if not ops.get("QuantizeLinear") or not ops.get("DequantizeLinear"):
        raise SystemExit(f"{onnx_path}: no QuantizeLinear/DequantizeLinear in the graph ({ops})")

    val_csv = args.val_csv or os.path.join(args.data_dir, "publictest.csv.gz")
    x_val, y_val = load_cached(val_csv, run_cache_dir(os.path.dirname(args.checkpoint)))
    probs = predict_probabilities(serving, x_val)
    slice_pred = probs[:PARITY_SLICE].argmax(1)
    quantisation = {
        "scheme": "QDQ int8 (QuantizeLinear/DequantizeLinear), opset " + str(args.opset),
        "weights": f"per-channel symmetric int8, scales for a {args.weight_bits}-bit range "
                   f"(|q| <= {2 ** (args.weight_bits - 1)}; PerChannelMinMaxObserver), BatchNorm folded",
        "activations": "per-tensor affine uint8 0-255, MinMaxObserver, reduce_range=False",
        "float_parts": "normalisation before the QuantStub; temperature and softmax after the DeQuantStub",
        "calibration": {"images": calib_count, "seed": args.calibration_seed, "source": os.path.basename(calib_source),
                        "rows": "Training rows the checkpoint was fitted on (not its --holdout, not PublicTest)"},
        "graph_ops": ops,
        "int8_weight_tensors": packed,
        "command": "PYTHONPATH=training /usr/bin/python3 -m fer_train.export_int8 --checkpoint "
                   f"{os.path.relpath(args.checkpoint)} --name {args.name} --out {args.out}"
                   + (f" --fixtures {args.fixtures}" if args.fixtures else "")
                   + (f" --weight-bits {args.weight_bits}" if args.weight_bits != 7 else "")
                   + (f" --temperature-json {args.temperature_json}" if args.temperature_json else ""),
        # What C# must reproduce on tests/fixtures/publictest-slice.csv.gz (tests/Fer.Tests/Parity).
        "fake_quant_slice": {
            "rows": int(min(PARITY_SLICE, len(y_val))),
            "accuracy": float((slice_pred == y_val[:PARITY_SLICE]).mean()),
            "accuracy_tolerance": SLICE_ACCURACY_TOLERANCE,
            "prediction_agreement_min": SLICE_PREDICTION_AGREEMENT,
        },
    }
    card = build_card(args.name, onnx_path, state, net, args.checkpoint, args.data_dir, y_val, probs.argmax(1),
                      training_note=args.training_note,
                      calibration=calibration_record(args.temperature, args.temperature_json),
                      quantisation=quantisation)
    write_card(card, args.out)
    if args.fixtures:
        write_parity_fixture(args.fixtures, args.name, x_val, y_val, probs)
    print(json.dumps({"onnx": onnx_path, "publictest_accuracy": card["publictest"]["accuracy"],
                      "slice_accuracy": quantisation["fake_quant_slice"]["accuracy"], "sha256": card["sha256"], "ops": ops}))


if __name__ == "__main__":
    main()
