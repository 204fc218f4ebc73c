"""Queue benchmark: 5,000 open cases of one panel in PostgreSQL, each with its own data key
and a sealed message, then the first page of the queue (50 cases with their excerpts) with a
search in the redacted text, as a panel lead asks for it through the API.

Creates its own database on 127.0.0.1:5432 (user postgres), prints the milliseconds per
request for a search that matches many cases, one that matches few, one that matches none and
no search at all, and the peak RSS of this process; drops the database at the end.

    .venv/bin/python bench/panel_queue.py [--cases 5000] [--runs 15]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import resource
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.context import runtime_of  # noqa: E402
from bench.databases import create_database, drop_database  # noqa: E402
from storage import Case, Message, Panel, Report, Reporter  # noqa: E402
from storage.accounts import create_user, issue_api_token  # noqa: E402
from storage.crypto.sealing import issue_report_key, seal_message  # noqa: E402
from workers.runtime import bound  # noqa: E402

CORPUS = ROOT / "triage" / "data" / "corpus" / "generated.jsonl"
PANEL = "police-accountability"
URGENCIES = ("critical", "high", "normal", "low")
SEARCHES = {
    "search matching many": "police",
    "search matching few": "lorry",
    "search matching none": "zanzibar",
    "no search": "",
}


def main() -> None:
    options = parse_args()
    url = create_database("sauti_bench_queue")
    try:
        with tempfile.TemporaryDirectory() as instance:
            app = make_app(url, instance)
            token = seed(app, options.cases)
            timings = time_pages(app, token, options.runs)
            runtime_of(app).store.dispose()
    finally:
        drop_database(url)
    print_figures(options.cases, timings)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=15)
    return parser.parse_args()


def make_app(url: str, instance: str) -> Flask:
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    config = {
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "SAUTI_INSTANCE_PATH": instance,
        "SAUTI_MASTER_KEYS": f"bench:{key}",
        "SAUTI_PEPPER": secrets.token_hex(16),
        "SECRET_KEY": secrets.token_hex(16),
        "SAUTI_LOG_LEVEL": "WARNING",
    }
    return create_app(config, start_worker=False)


def seed(app: Flask, count: int) -> str:
    """`count` open cases on one panel, texts from the training corpus with a number or a
    name in some, so that redaction has work; returns a lead's API token."""
    texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    runtime = runtime_of(app)
    started = time.perf_counter()
    with bound(runtime), runtime.store.transaction() as session:
        for panel in runtime.routing.panels:
            session.add(Panel(key=panel.key, name=panel.name_en, name_sw=panel.name_sw))
        session.flush()
        desk = session.scalars(select(Panel).where(Panel.key == PANEL)).one()
        reporter = Reporter(pseudonym="bench")
        start = datetime.now(UTC) - timedelta(days=10)
        for n in range(count):
            session.add(_case(runtime.store.keys, reporter, desk, n, texts[n % len(texts)], start))
            if n % 500 == 499:
                session.flush()
        lead = create_user(session, "lead@bench.test", "panel_lead", secrets.token_urlsafe(12), [desk])
        token = issue_api_token(lead)
    print(f"seeded {count} cases with sealed texts in {time.perf_counter() - started:.1f} s")
    return token


def _case(keys: object, reporter: Reporter, desk: Panel, n: int, words: str, start: datetime) -> Case:
    received = start + timedelta(minutes=2 * n)
    report = Report(
        id=uuid.uuid4(),
        ref=f"Q{n:05d}",
        reporter=reporter,
        channel="twilio_sms",
        status="triaged",
        received_at=received,
        category="extortion_harassment",
        urgency=URGENCIES[n % len(URGENCIES)],
        ward="Pumwani",
    )
    data_key = issue_report_key(keys, report)  # type: ignore[arg-type]
    if n % 3 == 0:
        words += f" Nipigie 07{n:08d}."
    if n % 5 == 0:
        words = f"Jina langu ni Amina Hassan. {words}"
    message = Message(
        id=uuid.uuid4(), report=report, channel="twilio_sms", author="reporter", created_at=received
    )
    seal_message(data_key, message, words)
    return Case(
        report=report,
        panel=desk,
        opened_at=received,
        acknowledge_due_at=received + timedelta(days=1),
        resolve_due_at=received + timedelta(days=14),
    )


Timings = dict[str, tuple[list[float], list[float], int]]


def time_pages(app: Flask, token: str, runs: int) -> Timings:
    """Wall time per request, and the CPU time this process spent on it: on a busy machine
    the two part, and the second says what the code costs."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    timings: Timings = {}
    for name, words in SEARCHES.items():
        path = f"/api/v1/cases?status=all&q={words}" if words else "/api/v1/cases?status=all"
        client.get(path, headers=headers)
        wall, cpu, total = [], [], 0
        for _ in range(runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            answer = client.get(path, headers=headers)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            assert answer.status_code == 200, answer.get_data(as_text=True)
            total = answer.json["total"]
        timings[name] = (wall, cpu, total)
    return timings


def print_figures(count: int, timings: Timings) -> None:
    print(f"\nfirst page of the queue (50 cases with excerpts) of {count} open cases, via the API, warm:")
    for name, (wall, cpu, total) in timings.items():
        ordered = sorted(wall)
        p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
        print(
            f"  {name:22} {statistics.median(wall):7.1f} ms median  {p90:7.1f} ms p90"
            f"  {statistics.median(cpu):6.1f} ms CPU  ({total} cases matched)"
        )
    print(f"load average while it ran: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
