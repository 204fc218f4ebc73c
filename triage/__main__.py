"""``python -m triage retrain`` rebuilds ``triage/model``; ``... evaluate`` prints the scores."""

from __future__ import annotations

import argparse

from triage.evaluation import evaluate
from triage.scorecard import render
from triage.training import retrain


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m triage", description=__doc__)
    parser.add_argument("command", choices=("retrain", "evaluate"))
    command = parser.parse_args().command
    if command == "retrain":
        model, artifact = retrain()
        metrics = model.metrics
        print(f"saved {artifact}")
    else:
        metrics = evaluate()
    print("\n".join(render(metrics)))


if __name__ == "__main__":
    main()
