"""Benchmark triage.classify: messages per second in one process and peak memory.

Run from the repository root: ``python bench/triage.py [--messages N]``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from triage import classify, load_corpus, shipped_model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=5000)
    arguments = parser.parse_args()
    corpus = [example.text for example in load_corpus()]
    texts = [corpus[i % len(corpus)] for i in range(arguments.messages)]

    started = time.perf_counter()
    model = shipped_model()
    classify(texts[0])
    loaded = time.perf_counter() - started

    started = time.perf_counter()
    for text in texts:
        classify(text)
    elapsed = time.perf_counter() - started

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"model {model.version}: loaded in {loaded * 1000:.0f} ms")
    rate = len(texts) / elapsed
    print(f"classified {len(texts)} messages in {elapsed:.2f} s: {rate:,.0f} msgs/s")
    print(f"peak RSS {peak_mb:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
