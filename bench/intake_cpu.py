"""CPU per intake request in one process: signed Twilio webhooks through the app, one after
another, on a fresh SQLite database (or BENCH_DATABASE_URL). Prints CPU milliseconds per
request (the process's) and, with --profile, where the request's thread spends its CPU; one
request at a time leads each group commit itself, so the commit is in the profile too.

    .venv/bin/python bench/intake_cpu.py [--messages 2000] [--profile]
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.context import runtime_of  # noqa: E402
from bench.webhooks import TOKEN, twilio_sms  # noqa: E402
from storage import Panel  # noqa: E402
from storage.migrations import upgrade  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--profile", action="store_true", help="print the 40 costliest functions")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sauti-cpu-"))
    database = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'sauti.db'}"
    if database.startswith("sqlite"):
        upgrade(database)
    app = create_app(
        {
            "DATABASE_URL": database,
            "REDIS_URL": "",
            "TWILIO_AUTH_TOKEN": TOKEN,
            "SAUTI_INSTANCE_PATH": str(workdir / "instance"),
            "SAUTI_PEPPER": "bench-pepper",
            "SECRET_KEY": "bench-secret-key-" + "x" * 32,
            "SAUTI_MASTER_KEYS": "bench:" + base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "SAUTI_LOG_LEVEL": "WARNING",
            "PUBLIC_BASE_URL": "http://localhost",
        },
        start_worker=False,
    )
    runtime = runtime_of(app)
    with runtime.store.transaction() as session:
        for panel in runtime.routing.panels:
            session.add(Panel(key=panel.key, name=panel.name_en, name_sw=panel.name_sw))
    client = app.test_client()
    requests = [twilio_sms(n, "http://localhost") for n in range(options.messages + 50)]
    for form, signature in requests[:50]:  # warm up: imports, caches, the triage model if loaded
        post(client, form, signature)
    profiler = cProfile.Profile(time.thread_time) if options.profile else None
    started, cpu_started = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    for form, signature in requests[50:]:
        post(client, form, signature)
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu_started, time.perf_counter() - started
    print(f"{options.messages} requests: {cpu / options.messages * 1000:.2f} ms CPU each,")
    print(f"    {wall / options.messages * 1000:.2f} ms wall each, one at a time ({database.split(':')[0]})")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)


def post(client, form: dict[str, str], signature: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/channels/twilio/sms", data=form, headers={"X-Twilio-Signature": signature})
    if response.status_code != 200:
        raise SystemExit(f"intake answered {response.status_code}: {response.text}")


if __name__ == "__main__":
    main()
