"""Where a webhook's CPU goes under load: the bench's gunicorn (2 workers unless told) on
PostgreSQL (or SQLite), 10,000 signed Twilio webhooks at concurrency 16, then the same load on
the floor, each worker adding up the CPU its threads spend in each step of a request
(`bench/steps_gunicorn.py`). Prints each step's CPU per request, over all workers and for each,
with the size of the batches each worker wrote: a worker holding few of the connections may
write small batches, which cost more a report.

    .venv/bin/python bench/intake_steps.py [--messages 10000] [--concurrency 16] [--workers 2]
                                           [--store postgresql]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest import (  # noqa: E402
    bench_env,
    create_database,
    drop_database,
    free_port,
    redis_server,
    signed_requests,
    start_gunicorn,
)
from bench.ingest_app import FLOOR_PATH  # noqa: E402
from bench.load import run_load  # noqa: E402
from bench.steps_gunicorn import BATCHES, STEPS, WHOLE  # noqa: E402

WARMUP_PER_WORKER = 100


def main() -> None:
    options = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sauti-steps-"))
    with redis_server(workdir) as redis_url:
        database = create_database(options.store, workdir)
        try:
            for path in ("/channels/twilio/sms", FLOOR_PATH):
                steps_dir = workdir / path.strip("/").replace("/", "-")
                steps_dir.mkdir()
                env = bench_env(database, redis_url, workdir / options.store) | {
                    "SAUTI_STEPS_DIR": str(steps_dir),
                    "SAUTI_STEPS_SKIP": str(WARMUP_PER_WORKER),
                }
                serve_and_load(path, env, options)
                print_steps(path, [json.loads(f.read_text()) for f in sorted(steps_dir.glob("*.json"))])
        finally:
            drop_database(database)
    shutil.rmtree(workdir, ignore_errors=True)


def serve_and_load(path: str, env: dict[str, str], options: argparse.Namespace) -> None:
    port = free_port()
    env = env | {"PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
    warmup = WARMUP_PER_WORKER * options.workers
    requests = signed_requests(f"http://127.0.0.1:{port}", options.messages + warmup)
    server = start_gunicorn(env, port, options.workers, config=ROOT / "bench/steps_gunicorn.py")
    try:
        run_load("127.0.0.1", port, path, requests[:warmup], options.concurrency)
        result = run_load("127.0.0.1", port, path, requests[warmup:], options.concurrency)
    finally:
        server.terminate()
        server.wait()
    print(f"--- {path}: {result.per_second:.0f} requests/s, {result.not_ok} not 200")


def print_steps(path: str, workers: list[dict[str, dict[str, float]]]) -> None:
    spent: Counter[str] = sum((Counter(w["spent"]) for w in workers), Counter())
    requests = sum(w["calls"].get(WHOLE, 0) for w in workers)
    for worker in workers:
        served, batches = worker["calls"].get(WHOLE, 0), worker["calls"].get(BATCHES, 0)
        size = f", batches of {served / batches:.1f} reports" if batches else ""
        print(f"worker  : {served} requests{size}")
    for _, _, label in STEPS:
        if label in spent:
            each = ", ".join(
                f"{ms_a_request(w['spent'].get(label, 0), w['calls'].get(WHOLE, 0)):.3f}" for w in workers
            )
            print(f"{label:42}: {ms_a_request(spent[label], requests):.3f} ms a request (workers: {each})")


def ms_a_request(seconds: float, requests: int) -> float:
    return seconds / requests * 1e3 if requests else 0.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--store", default="postgresql", choices=["postgresql", "sqlite"])
    return parser.parse_args()


if __name__ == "__main__":
    main()
