"""Draws the training curve (loss and PublicTest accuracy per epoch) of a run's log.csv as a PNG."""
import argparse
import csv

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("log_csv")
    p.add_argument("png")
    p.add_argument("--target", type=float, default=0.735)
    args = p.parse_args()
    with open(args.log_csv) as f:
        rows = list(csv.DictReader(f))
    epochs = [int(r["epoch"]) for r in rows]
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 4))
    ax_loss.plot(epochs, [float(r["train_loss"]) for r in rows], label="train loss")
    ax_loss.set_xlabel("epoch"); ax_loss.set_ylabel("loss"); ax_loss.grid(alpha=0.3); ax_loss.legend()
    ax_acc.plot(epochs, [float(r["train_acc"]) for r in rows], label="train (augmented)")
    ax_acc.plot(epochs, [float(r["val_acc"]) for r in rows], label="PublicTest")
    ax_acc.plot(epochs, [float(r["val_acc_ema"]) for r in rows], label="PublicTest (EMA weights)")
    averaged = [(int(r["epoch"]), float(r["val_acc_swa"])) for r in rows if r.get("val_acc_swa")]
    if averaged:
        ax_acc.plot(*zip(*averaged), label="PublicTest (averaged weights, SWA)")
    ax_acc.axhline(args.target, color="grey", linestyle="--", label=f"target {args.target:.1%}")
    ax_acc.set_xlabel("epoch"); ax_acc.set_ylabel("accuracy"); ax_acc.grid(alpha=0.3); ax_acc.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(args.png, dpi=110)


if __name__ == "__main__":
    main()
