"""Benchmark triage.classify: messages per second in one process and peak memory.

Run from the repository root: ``python bench/triage.py [--messages N]``. The messages are
the corpus and the evaluation set, shuffled, each classified once before any repeats; the
report says whether scikit-learn or scipy was loaded (running the model must not need them).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from triage import classify, load_corpus, load_evaluation_set, shipped_model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=5000)
    arguments = parser.parse_args()
    known = [example.text for example in [*load_corpus(), *load_evaluation_set()]]
    random.Random(0).shuffle(known)
    texts = [known[i % len(known)] for i in range(arguments.messages)]

    started = time.perf_counter()
    model = shipped_model()
    classify(texts[0])
    loaded = time.perf_counter() - started

    started, cpu_started = time.perf_counter(), time.process_time()
    for text in texts:
        classify(text)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    training_libraries = sorted({name.split(".")[0] for name in sys.modules} & {"sklearn", "scipy", "joblib"})
    print(f"model {model.version}: loaded in {loaded * 1000:.0f} ms")
    rate = len(texts) / elapsed
    unique = min(len(texts), len(known))
    print(f"classified {len(texts)} messages ({unique} different) in {elapsed:.2f} s: {rate:,.0f} msgs/s")
    # On a shared machine wall time includes waiting for the CPU; CPU time does not.
    print(f"CPU time {cpu:.2f} s: {len(texts) / cpu:,.0f} msgs per CPU-second")
    print(f"peak RSS {peak_mb:.1f} MB")
    print(f"training libraries loaded: {', '.join(training_libraries) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
