"""Add what C# serving measured of an exported model to its card (JSON and Markdown): the ONNX Runtime
throughput, and the PublicTest evaluation through the workers' own preprocessing (the parity check).

  dotnet bench/Fer.Bench/bin/Release/net10.0/fer-bench.dll --model-only --model models/fer-cnn.onnx --out /tmp/fer-model
  dotnet run -c Release --project src/Fer.Cli -- eval --data ../shared/data/fer2013/publictest.csv.gz --json /tmp/fer-eval.json
  PYTHONPATH=training python3 -m fer_train.card models/fer-cnn.card.json /tmp/fer-model/model-throughput.json --eval /tmp/fer-eval.json

Refuses figures measured on another file than the card's (SHA-256 compared).
"""
import argparse
import json
import os
import sys

from .export import write_markdown_card

BENCH_COMMAND = "dotnet bench/Fer.Bench/bin/Release/net10.0/fer-bench.dll --model-only --model models/{file}"
EVAL_COMMAND = ("dotnet run -c Release --project src/Fer.Cli -- eval --data ../shared/data/fer2013/publictest.csv.gz "
                "--model models/{file} --json eval.json")
PARITY_TOLERANCE_PP = 0.1  # issue acceptance: C# accuracy within 0.1 percentage point of the card's


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("card")
    p.add_argument("throughput", nargs="?", help="model-throughput.json written by fer-bench --model-only")
    p.add_argument("--eval", dest="evaluation", help="metrics JSON written by `fer eval --json` on PublicTest")
    args = p.parse_args(argv)
    if not args.throughput and not args.evaluation:
        p.error("give a throughput file, --eval, or both")
    with open(args.card) as f:
        card = json.load(f)
    if args.throughput:
        with open(args.throughput) as f:
            add_throughput(card, json.load(f), args.throughput)
    if args.evaluation:
        with open(args.evaluation) as f:
            add_serving_parity(card, json.load(f), args.evaluation)
    with open(args.card, "w") as f:
        json.dump(card, f, indent=2)
    write_markdown_card(card, os.path.splitext(os.path.splitext(args.card)[0])[0] + ".card.md")
    print(json.dumps({k: card[k] for k in ("serving_throughput", "serving_parity") if k in card}))
    if card.get("serving_parity", {}).get("within_tolerance") is False:
        sys.exit(f"C# serving differs from training by {card['serving_parity']['difference_pp']} pp")


def add_throughput(card, bench, source):
    if bench["model"]["sha256"] != card["sha256"]:
        sys.exit(f"{source} measured {bench['model']['sha256']}, the card is for {card['sha256']}")
    machine = bench["machine"]
    card["serving_throughput"] = {
        "images_per_second": bench["bare"],
        "best_batch_size": bench["bare_best_batch_size"],
        "by_batch_size": bench["bare_by_batch_size"],
        "concurrent_runs": bench["bare_concurrent_runs"],
        "concurrent_images_per_second": bench["bare_concurrent"],
        "runtime": machine.get("onnx_runtime", ""),
        "machine": f"{machine.get('cpu_model', '')}"
                   + (f" ({machine['cpu_features']})" if machine.get("cpu_features") else "")
                   + f", {machine.get('cores', '')} cores",
        "measured_at": bench["started_at"],
        "command": BENCH_COMMAND.format(file=card["file"]),
    }


def add_serving_parity(card, evaluation, source):
    """The card's accuracy is PyTorch's; this records what the C# serving path computes on the same split."""
    if evaluation.get("model_sha256") != card["sha256"]:
        sys.exit(f"{source} evaluated {evaluation.get('model_sha256')}, the card is for {card['sha256']}")
    expected = card["publictest"]
    if evaluation["count"] != expected["count"]:
        sys.exit(f"{source} evaluated {evaluation['count']} images, the card's PublicTest has {expected['count']}")
    # From the confusion matrix, not the card's rounded accuracy, so identical predictions read as 0 pp.
    expected_accuracy = sum(expected["confusion"][i][i] for i in range(len(expected["confusion"]))) / expected["count"]
    difference_pp = round(abs(evaluation["accuracy"] - expected_accuracy) * 100, 3)
    card["serving_parity"] = {
        "csharp_accuracy": round(evaluation["accuracy"], 4),
        "difference_pp": difference_pp,
        "within_tolerance": difference_pp <= PARITY_TOLERANCE_PP,
        "confusion_identical": evaluation["confusion"] == expected["confusion"],
        "failed": evaluation.get("failed", 0),
        "command": EVAL_COMMAND.format(file=card["file"]),
    }
    if "ece" in evaluation:
        # The calibration a user thresholding the scores sees, measured by the serving path itself.
        card.setdefault("calibration", {"temperature": 1.0, "fitted_on": None})["publictest_ece"] = round(evaluation["ece"], 4)


if __name__ == "__main__":
    main()
