"""Train the FerBatch emotion CNN on FER2013 Training, select on PublicTest.

--holdout N keeps a fixed, seeded, class-stratified slice of N Training rows out of the fit (data.training_split,
recorded in run.json): the rows fit_temperature.py calibrates the scores on, since PublicTest selects the weights and
must not also fit the temperature.

Resumable: every epoch writes <out>/last.pt (full state) and <out>/best.pt (best PublicTest),
and appends a row to <out>/log.csv. Re-running the same command resumes where it stopped.

--teacher CKPT [CKPT ...] distils: the loss becomes the KL divergence to the teachers' averaged softened scores on the
student's own augmented batch (distill.py), plus --kd-label-weight of the usual cross-entropy on the label.

Schedule: linear warm-up, cosine to zero over --epochs, then optionally --swa-epochs at the constant
--swa-lr whose end-of-epoch weights are averaged (stochastic weight averaging, Izmailov et al. 2018).
A finished run can be extended that way by re-running its command with --swa-epochs added.
"""
import argparse
import copy
import csv
import json
import os
import platform
import random
import time

import numpy as np
import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel

from . import EMOTIONS
from .augment import random_affine, random_erasing
from .distill import TeacherEnsemble, distillation_loss
from .data import DEFAULT_DATA_DIR, ferplus_not_face_mask, load_cached, run_cache_dir, split_digest, training_split
from .model import PIXEL_MEAN, PIXEL_STD, ServingModel, build, count_parameters, predict_probabilities


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    p.add_argument("--train-csv", default=None, help="default: <data-dir>/train.csv.gz")
    p.add_argument("--val-csv", default=None, help="default: <data-dir>/publictest.csv.gz")
    p.add_argument("--out", default="training/runs/default")
    p.add_argument("--arch", default="vgg-m")
    p.add_argument("--epochs", type=int, default=120)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.02)
    p.add_argument("--weight-decay", type=float, default=5e-4)
    p.add_argument("--label-smoothing", type=float, default=0.1)
    p.add_argument("--warmup-epochs", type=int, default=2)
    p.add_argument("--ema-decay", type=float, default=0.999)
    p.add_argument("--swa-epochs", type=int, default=0,
                   help="epochs after the cosine schedule whose weights are averaged (0: no weight averaging)")
    p.add_argument("--swa-lr", type=float, default=0.002, help="constant learning rate of the --swa-epochs")
    p.add_argument("--drop-not-face", action="store_true", help="drop Training rows FERPlus votes 'not a face'")
    p.add_argument("--holdout", type=int, default=0,
                   help="Training rows kept out of the fit for calibration (stratified by class; 0: fit on all)")
    p.add_argument("--holdout-seed", type=int, default=2026,
                   help="seed of the held-out slice; separate from --seed so runs with new seeds share one slice")
    p.add_argument("--limit-train", type=int, default=0, help="use only the first N training rows (smoke tests)")
    p.add_argument("--limit-val", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--device", default="cpu", help="cpu, cuda, cuda:0 ...")
    p.add_argument("--threads", type=int, default=0, help="CPU threads (0: torch default)")
    p.add_argument("--amp", action="store_true",
                   help="mixed precision: bfloat16 on CPU (oneDNN kernels; needs avx512_bf16 or AMX, emulated and far "
                        "slower without) and on CUDA where supported, else float16 on CUDA")
    p.add_argument("--max-seconds", type=float, default=0,
                   help="fit the schedule into this wall time: after each warm-up epoch, --epochs is cut to what the "
                        "measured epoch time allows (0: off)")
    p.add_argument("--checkpoint-every", type=int, default=1, help="write last.pt every N epochs (and after the last)")
    p.add_argument("--teacher", nargs="+", default=None, metavar="CKPT",
                   help="distil from these best.pt checkpoints (their averaged scores on each augmented batch)")
    p.add_argument("--kd-temperature", type=float, default=3.0, help="softening temperature of the distillation")
    p.add_argument("--kd-label-weight", type=float, default=0.1,
                   help="weight of the cross-entropy on the FER2013 label beside the distillation KL (0-1)")
    p.add_argument("--teacher-flip", action="store_true",
                   help="each teacher also scores the mirrored batch (twice the teacher cost, one more view)")
    p.add_argument("--teacher-int8", type=int, default=0, metavar="N",
                   help="CPU: run the teachers as int8 networks calibrated on N fitted Training rows (~7x faster than "
                        "bfloat16 here; 0: float teachers)")
    p.add_argument("--no-channels-last", action="store_true", help="channels-last is ~25%% faster on CPU")
    return p.parse_args(argv)


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def to_input(images_u8, device):
    """uint8 [N,48,48] (numpy or tensor) -> normalised float [N,1,48,48], exactly as the ONNX graph does it."""
    if isinstance(images_u8, np.ndarray):
        images_u8 = torch.from_numpy(images_u8)
    x = images_u8.to(device).float().unsqueeze(1) / 255.0
    return (x - PIXEL_MEAN) / PIXEL_STD


def lr_at(step, total_steps, warmup_steps, base_lr):
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    progress = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    return base_lr * 0.5 * (1 + np.cos(np.pi * min(1.0, progress)))


def fit_epochs(args, epochs_done, epoch_seconds, elapsed, requested_epochs):
    """Epoch count whose remaining epochs, at the measured pace, end within --max-seconds."""
    remaining = max(0.0, args.max_seconds - elapsed)
    return max(epochs_done + 1, min(requested_epochs, epochs_done + int(remaining / max(epoch_seconds, 1e-6))))


def autocast_dtype(device):
    if device.type != "cuda":
        return torch.bfloat16
    return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16


def cpu_has_bf16():
    """Whether the CPU runs bfloat16 natively; without it torch's CPU autocast is emulated (measured ~1 image/s)."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    except OSError:
        return True  # not Linux: let torch decide
    return "avx512_bf16" in flags or "amx_bf16" in flags


LOG_COLUMNS = ["epoch", "lr", "train_loss", "train_acc", "val_acc", "val_acc_ema", "images_per_s", "epoch_seconds",
               "wall_seconds", "val_acc_swa"]


def open_log(log_path):
    """Creates log.csv, or adds the columns a log written by an earlier version lacks (left empty in old rows)."""
    if not os.path.exists(log_path):
        with open(log_path, "w", newline="") as f:
            csv.writer(f).writerow(LOG_COLUMNS)
        return
    with open(log_path, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    if header == LOG_COLUMNS:
        return
    assert header == LOG_COLUMNS[:len(header)], f"{log_path}: unexpected columns {header}"
    missing = len(LOG_COLUMNS) - len(header)
    with open(log_path + ".tmp", "w", newline="") as f:
        csv.writer(f).writerows([LOG_COLUMNS] + [row + [""] * missing for row in rows[1:]])
    os.replace(log_path + ".tmp", log_path)


def main(argv=None):
    process_start = time.time()
    args = parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    train_csv = args.train_csv or os.path.join(args.data_dir, "train.csv.gz")
    val_csv = args.val_csv or os.path.join(args.data_dir, "publictest.csv.gz")
    cache = run_cache_dir(args.out)
    x_train, y_train = load_cached(train_csv, cache)
    x_val, y_val = load_cached(val_csv, cache)
    not_face = (ferplus_not_face_mask(os.path.join(args.data_dir, "ferplus-labels.csv"), 0, len(x_train))
                if args.drop_not_face else None)
    fit_rows, held_rows = training_split(y_train, args.holdout, args.holdout_seed, not_face)
    holdout_record = {"requested": args.holdout, "seed": args.holdout_seed, "rows": int(len(held_rows)),
                      "digest": split_digest(held_rows), "of": os.path.basename(train_csv),
                      "rule": "data.training_split: stratified by class over all CSV rows, then not-a-face rows dropped"}
    x_train, y_train = x_train[fit_rows], y_train[fit_rows]
    if args.limit_train:
        x_train, y_train = x_train[:args.limit_train], y_train[:args.limit_train]
    if args.limit_val:
        x_val, y_val = x_val[:args.limit_val], y_val[:args.limit_val]

    seed_everything(args.seed)
    memory_format = torch.contiguous_format if args.no_channels_last else torch.channels_last
    net = build(args.arch).to(device, memory_format=memory_format)
    ema = copy.deepcopy(net).eval()
    for p in ema.parameters():
        p.requires_grad_(False)
    # Batch-norm statistics are averaged with the weights, as the EMA does: recomputing them in train mode over the
    # Training images (swa_utils.update_bn) cost the epoch-100 weights 0.25 pp of PublicTest, and 2-3 min an epoch here.
    swa = AveragedModel(net, use_buffers=True).eval()
    decay, no_decay = [], []
    for name, p in net.named_parameters():
        (no_decay if p.ndim <= 1 else decay).append(p)
    optimizer = torch.optim.SGD([{"params": decay, "weight_decay": args.weight_decay},
                                 {"params": no_decay, "weight_decay": 0.0}],
                                lr=args.lr, momentum=0.9, nesterov=True)
    use_amp = args.amp
    if use_amp and device.type == "cpu" and not cpu_has_bf16():
        print("--amp: this CPU has no avx512_bf16/amx_bf16, so bfloat16 would be emulated; training in float32", flush=True)
        use_amp = False
    amp_dtype = autocast_dtype(device) if use_amp else None
    # bfloat16 has float32's range, so only float16 needs loss scaling.
    scaler = torch.cuda.amp.GradScaler(enabled=use_amp and amp_dtype == torch.float16)
    steps_per_epoch = len(x_train) // args.batch_size
    total_steps = steps_per_epoch * args.epochs
    warmup_steps = steps_per_epoch * args.warmup_epochs

    start_epoch, best_acc, wall_before = 0, 0.0, 0.0
    last_path, best_path = os.path.join(args.out, "last.pt"), os.path.join(args.out, "best.pt")
    if os.path.exists(last_path):
        state = torch.load(last_path, map_location=device, weights_only=False)  # holds numpy RNG state
        net.load_state_dict(state["net"])
        ema.load_state_dict(state["ema"])
        if "swa" in state:
            swa.load_state_dict(state["swa"])
        optimizer.load_state_dict(state["optimizer"])
        start_epoch, best_acc, wall_before = state["epoch"], state["best_acc"], state.get("wall_seconds", 0.0)
        torch.set_rng_state(state["torch_rng"])
        np.random.set_state(state["numpy_rng"])
        print(f"resumed from epoch {start_epoch}, best PublicTest {best_acc:.4f}", flush=True)

    log_path = os.path.join(args.out, "log.csv")
    open_log(log_path)
    print(f"arch {args.arch}: {count_parameters(net):,} parameters; {len(x_train)} train, {len(x_val)} val; "
          f"device {device}, threads {torch.get_num_threads()}", flush=True)

    criterion = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    teachers, teacher_record = None, None
    if args.teacher:
        calibration = to_input(x_train[:args.teacher_int8], device) if args.teacher_int8 else None
        teachers = TeacherEnsemble(args.teacher, device, memory_format, flip=args.teacher_flip,
                                   int8_calibration=calibration)
        teacher_record = {"members": teachers.records, "flip": args.teacher_flip, "temperature": args.kd_temperature,
                          "label_weight": args.kd_label_weight}
        with torch.no_grad(), torch.autocast(device_type=device.type, dtype=amp_dtype, enabled=use_amp):
            val_probs = torch.cat([teachers.probabilities(to_input(x_val[i:i + 512], device))
                                   for i in range(0, len(x_val), 512)])
        teacher_record["val_acc"] = float((val_probs.argmax(1).cpu().numpy() == y_val).mean())
        print(f"distilling from {len(teachers.nets)} teacher(s) x {teachers.forwards_per_batch // len(teachers.nets)} "
              f"view(s), T {args.kd_temperature}, label weight {args.kd_label_weight}: ensemble PublicTest "
              f"{teacher_record['val_acc']:.4f}", flush=True)
    # On a GPU the whole (uint8) training set lives there: no host copy per step.
    x_train_t = torch.from_numpy(x_train).to(device)
    y_train_t = torch.from_numpy(y_train).to(device)
    ema_float = [t for t in ema.state_dict().values() if t.dtype.is_floating_point]
    net_float = [t for t in net.state_dict().values() if t.dtype.is_floating_point]
    ema_other = [t for t in ema.state_dict().values() if not t.dtype.is_floating_point]
    net_other = [t for t in net.state_dict().values() if not t.dtype.is_floating_point]
    requested_epochs = args.epochs
    epoch = start_epoch
    while epoch < args.epochs + args.swa_epochs:
        averaging = epoch >= args.epochs
        t0 = time.time()
        net.train()
        order = torch.randperm(len(x_train))
        seen = 0
        loss_sum = torch.zeros((), device=device)  # summed on the device: no synchronisation per step
        correct = torch.zeros((), dtype=torch.long, device=device)
        for b in range(steps_per_epoch):
            step = epoch * steps_per_epoch + b
            lr = args.swa_lr if averaging else lr_at(step, total_steps, warmup_steps, args.lr)
            for group in optimizer.param_groups:
                group["lr"] = lr
            idx = order[b * args.batch_size:(b + 1) * args.batch_size].to(device)
            x = to_input(x_train_t[idx], device)
            y = y_train_t[idx]
            x = random_erasing(random_affine(x)).contiguous(memory_format=memory_format)
            with torch.autocast(device_type=device.type, dtype=amp_dtype, enabled=use_amp):
                logits = net(x)
                if teachers is None:
                    loss = criterion(logits, y)
                else:
                    loss = distillation_loss(logits, teachers.probabilities(x, args.kd_temperature), y,
                                             args.kd_temperature, args.kd_label_weight, args.label_smoothing)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            with torch.no_grad():
                d = min(args.ema_decay, (1 + step) / (10 + step))
                torch._foreach_mul_(ema_float, d)
                torch._foreach_add_(ema_float, net_float, alpha=1 - d)
                for pe, pn in zip(ema_other, net_other):
                    pe.copy_(pn)
                loss_sum += loss.detach().float() * len(idx)
                correct += (logits.argmax(1) == y).sum()
            seen += len(idx)
        loss_sum, correct = float(loss_sum), int(correct)
        train_seconds = time.time() - t0
        candidates = {"net": net, "ema": ema}
        if averaging:
            swa.update_parameters(net)
            candidates["swa"] = swa.module
        # Evaluated in the training precision (4x faster under --amp); the model card is measured on the exported
        # float32 graph instead.
        with torch.no_grad(), torch.autocast(device_type=device.type, dtype=amp_dtype, enabled=use_amp):
            accuracies = {source: float((predict_probabilities(ServingModel(weights), x_val, device).argmax(1) == y_val).mean())
                          for source, weights in candidates.items()}
        val_acc, val_acc_ema, val_acc_swa = accuracies["net"], accuracies["ema"], accuracies.get("swa")
        epoch_seconds = time.time() - t0
        wall = wall_before + epoch_seconds
        wall_before = wall
        source = max(accuracies, key=accuracies.get)  # on a tie the first: raw weights, then EMA, then the average
        acc = accuracies[source]
        if acc > best_acc:
            best_acc = acc
            torch.save({"arch": args.arch, "net": candidates[source].state_dict(),
                        "epoch": epoch + 1, "val_acc": acc, "weights": source, "args": vars(args)}, best_path)
        if args.max_seconds and epoch + 1 <= args.warmup_epochs:
            # Warm-up's learning rate does not depend on the total, so the cosine can still be fitted here.
            args.epochs = fit_epochs(args, epoch + 1, epoch_seconds, time.time() - process_start, requested_epochs)
            total_steps = steps_per_epoch * args.epochs
            print(f"--max-seconds {args.max_seconds:.0f}: {epoch_seconds:.1f} s per epoch, schedule set to {args.epochs} epochs", flush=True)
        if (epoch + 1) % max(1, args.checkpoint_every) == 0 or epoch + 1 == args.epochs + args.swa_epochs:
            torch.save({"net": net.state_dict(), "ema": ema.state_dict(), "optimizer": optimizer.state_dict(),
                        **({"swa": swa.state_dict()} if args.swa_epochs else {}),
                        "epoch": epoch + 1, "best_acc": best_acc, "wall_seconds": wall,
                        "torch_rng": torch.get_rng_state(), "numpy_rng": np.random.get_state(),
                        "arch": args.arch, "args": vars(args)}, last_path + ".tmp")
            os.replace(last_path + ".tmp", last_path)
        with open(log_path, "a", newline="") as f:
            csv.writer(f).writerow([epoch + 1, f"{lr:.5f}", f"{loss_sum / seen:.4f}", f"{correct / seen:.4f}",
                                    f"{val_acc:.4f}", f"{val_acc_ema:.4f}", f"{seen / train_seconds:.1f}",
                                    f"{epoch_seconds:.1f}", f"{wall:.0f}",
                                    "" if val_acc_swa is None else f"{val_acc_swa:.4f}"])
        swa_note = "" if val_acc_swa is None else f" swa {val_acc_swa:.4f}"
        print(f"epoch {epoch + 1}/{args.epochs + args.swa_epochs} lr {lr:.4f} loss {loss_sum / seen:.4f} "
              f"train {correct / seen:.4f} val {val_acc:.4f} ema {val_acc_ema:.4f}{swa_note} best {best_acc:.4f} "
              f"{seen / train_seconds:.0f} img/s", flush=True)
        epoch += 1
    with open(os.path.join(args.out, "run.json"), "w") as f:
        json.dump({"args": vars(args), "holdout": holdout_record, "best_val_acc": best_acc, "teacher": teacher_record, "wall_seconds": wall_before,
                   "torch": torch.__version__, "python": platform.python_version(),
                   "machine": platform.processor() or platform.machine(),
                   "gpu": torch.cuda.get_device_name(device) if device.type == "cuda" else None}, f, indent=2)


if __name__ == "__main__":
    main()
