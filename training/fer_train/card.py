"""Add the C# serving throughput of an exported model to its card (JSON and Markdown).

  dotnet bench/Fer.Bench/bin/Release/net10.0/fer-bench.dll --model-only --model models/fer-cnn.onnx --out /tmp/fer-model
  PYTHONPATH=training python3 -m fer_train.card models/fer-cnn.card.json /tmp/fer-model/model-throughput.json

Refuses figures measured on another file than the card's (SHA-256 compared).
"""
import argparse
import json
import os
import sys

from .export import write_markdown_card

BENCH_COMMAND = "dotnet bench/Fer.Bench/bin/Release/net10.0/fer-bench.dll --model-only --model models/{file}"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("card")
    p.add_argument("throughput")
    args = p.parse_args(argv)
    with open(args.card) as f:
        card = json.load(f)
    with open(args.throughput) as f:
        bench = json.load(f)
    if bench["model"]["sha256"] != card["sha256"]:
        sys.exit(f"{args.throughput} measured {bench['model']['sha256']}, the card is for {card['sha256']}")
    machine = bench["machine"]
    card["serving_throughput"] = {
        "images_per_second": bench["bare"],
        "best_batch_size": bench["bare_best_batch_size"],
        "by_batch_size": bench["bare_by_batch_size"],
        "concurrent_runs": bench["bare_concurrent_runs"],
        "concurrent_images_per_second": bench["bare_concurrent"],
        "runtime": machine.get("onnx_runtime", ""),
        "machine": f"{machine.get('cpu_model', '')}, {machine.get('cores', '')} cores",
        "measured_at": bench["started_at"],
        "command": BENCH_COMMAND.format(file=card["file"]),
    }
    with open(args.card, "w") as f:
        json.dump(card, f, indent=2)
    write_markdown_card(card, os.path.splitext(os.path.splitext(args.card)[0])[0] + ".card.md")
    print(json.dumps(card["serving_throughput"]))


if __name__ == "__main__":
    main()
