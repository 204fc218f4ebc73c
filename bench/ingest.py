"""Intake benchmark: gunicorn (2 workers unless told, as gunicorn.conf.py sets them up) on loopback, against
PostgreSQL and against SQLite, with a Redis server of its own.

For each store, sends 5,000 signed Twilio SMS webhooks at concurrency 16 (keep-alive
connections) and the same load against a bare route on the same server returning fixed TwiML
through the hooks a webhook meets (the floor: `bench/ingest_app.py`), in alternating rounds;
prints throughput, p50/p99 latency, the ratio to the floor (the median of the rounds' ratios: a
round of the floor whose connections all landed on one worker runs at half speed, and one such
round would otherwise flatter the whole run), how busy the machine's cores were, CPU per request
in gunicorn, in PostgreSQL and in the load generator (which shares the machine), and the
workers' peak RSS. Then one worker drains the PostgreSQL run's reports through triage.

    .venv/bin/python bench/ingest.py [--messages 5000] [--concurrency 16] [--stores postgresql,sqlite]
                                     [--workers 2]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from argparse import Namespace
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from redis import Redis  # noqa: E402
from sqlalchemy import create_engine, func, select  # noqa: E402

from bench.databases import create_database as create_postgres_database  # noqa: E402
from bench.databases import drop_database as drop_postgres_database  # noqa: E402
from bench.ingest_app import FLOOR_PATH  # noqa: E402
from bench.load import LoadResult, run_load  # noqa: E402
from bench.webhooks import TOKEN, twilio_sms  # noqa: E402
from storage import Case, Panel, Report  # noqa: E402
from storage.migrations import upgrade  # noqa: E402
from triage import load_routing  # noqa: E402

TARGETS = {"postgresql": 0.5, "sqlite": 0.25}


def main() -> None:
    options = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sauti-bench-"))
    print(f"load    : {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} cores before the run", flush=True)
    with redis_server(workdir) as redis_url:
        for store in options.stores.split(","):
            database = create_database(store, workdir)
            try:
                env = bench_env(database, redis_url, workdir / store)
                stored = serve_and_load(store, env, database, options)
                if store == "postgresql":
                    report_triage(env, database, stored)
            finally:
                Redis.from_url(redis_url).flushdb()
                drop_database(database)
    print(f"load    : {os.getloadavg()[0]:.1f} (1 min) after the run", flush=True)
    shutil.rmtree(workdir, ignore_errors=True)


def bench_env(database: str, redis_url: str, workdir: Path) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "SAUTI_INSTANCE_PATH": str(workdir / "instance"),
        "SAUTI_PEPPER": "bench-pepper",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "SAUTI_MASTER_KEYS": "bench:" + base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "SAUTI_LOG_LEVEL": "WARNING",
        "SAUTI_SWEEP_GRACE_SECONDS": "3600",
    }


def serve_and_load(store: str, env: dict[str, str], database: str, options: Namespace) -> int:
    """Intake and floor on one gunicorn server; returns how many reports were stored."""
    port = free_port()
    env = env | {"PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
    requests = signed_requests(f"http://127.0.0.1:{port}", options.messages + options.warmup)
    warmup, requests = requests[: options.warmup], requests[options.warmup :]
    server = start_gunicorn(env, port, options.workers)
    try:
        for path in ("/channels/twilio/sms", FLOOR_PATH):  # a server that has served before
            run_load("127.0.0.1", port, path, warmup, options.concurrency)
        intake, floor = alternate_loads(server, port, requests, options)
        peaks = worker_peak_rss_mb(server)
    finally:
        server.terminate()
        server.wait()
    stored = count(database, Report)
    print(f"--- {store}")
    print_load("intake", intake.load, f"{stored} reports stored, {options.warmup} of them before measuring")
    print_load("floor", floor.load, "fixed TwiML, same server")
    ratios = [i.per_second / f.per_second for i, f in zip(intake.rounds, floor.rounds, strict=True)]
    whole_run = intake.load.per_second / floor.load.per_second
    print(
        f"ratio   : intake runs at {statistics.median(ratios):.2f} of the floor, the median of"
        f" {len(ratios)} rounds ({min(ratios):.2f} to {max(ratios):.2f}; {whole_run:.2f} over the"
        f" whole run) (target >= {TARGETS[store]:.2f})"
    )
    print(
        f"machine : all cores {intake.busy_share():.0%} busy during intake,"
        f" {floor.busy_share():.0%} during the floor"
    )
    for name, measured in (("intake", intake), ("floor", floor)):
        in_database = (
            f" and {measured.cpu_ms_per_request('postgres'):.2f} ms in PostgreSQL"
            if store == "postgresql"
            else ""
        )
        print(
            f"cpu     : {name} {measured.cpu_ms_per_request('gunicorn'):.2f} ms in gunicorn"
            f"{in_database} per request, {measured.cpu_ms_per_request('load generator'):.2f} ms"
            " in the load generator"
        )
    print(f"memory  : gunicorn workers' peak RSS {peaks} MB", flush=True)
    return stored


def report_triage(env: dict[str, str], database: str, stored: int) -> None:
    seconds, peak = drain_triage(env)
    cases = count(database, Case)
    print(f"triage  : {cases} cases from {stored} reports, {seconds:.1f} s in all: {cases / seconds:.0f}/s")
    print(f"          {drain_rate(database):.0f}/s from first case to last (target >= 300/s)")
    print(f"          worker peak RSS {peak:.0f} MB (budget 250 MB)", flush=True)


@contextlib.contextmanager
def redis_server(workdir: Path):  # type: ignore[no-untyped-def]
    """A Redis server of the bench's own on a unix socket, so no other user's queues are touched."""
    socket_path = workdir / "redis.sock"
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--save",
            "",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"unix://{socket_path}?db=0"
    try:
        for _ in range(200):
            with contextlib.suppress(Exception):
                Redis.from_url(url).ping()
                break
            time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait()


@dataclass
class Measured:
    """One route's rounds, and the CPU seconds gunicorn and PostgreSQL spent on them."""

    path: str
    rounds: list[LoadResult] = field(default_factory=list)
    cpu: Counter[str] = field(default_factory=Counter)
    # The whole machine's CPU seconds over the rounds: busy, and in all.
    machine: Counter[str] = field(default_factory=Counter)

    @property
    def load(self) -> LoadResult:
        return LoadResult.combined(self.rounds)

    def cpu_ms_per_request(self, part: str) -> float:
        return self.cpu[part] / self.load.requests * 1000

    def busy_share(self) -> float:
        return self.machine["busy"] / self.machine["all"]


def alternate_loads(
    server: subprocess.Popen[bytes],
    port: int,
    requests: list[tuple[dict[str, str], bytes]],
    options: Namespace,
) -> tuple[Measured, Measured]:
    """Intake and floor in alternating rounds, so that both meet the same machine: on a
    shared host the speed of the CPU changes from one minute to the next."""
    intake, floor = Measured("/channels/twilio/sms"), Measured(FLOOR_PATH)
    share = -(-len(requests) // options.rounds)
    for start in range(0, len(requests), share):
        for measured in (intake, floor):
            before, sending, machine = cpu_seconds(server), time.process_time(), machine_seconds()
            chunk = requests[start : start + share]
            measured.rounds.append(run_load("127.0.0.1", port, measured.path, chunk, options.concurrency))
            measured.cpu.update(cpu_seconds(server) - before)
            measured.cpu["load generator"] += time.process_time() - sending
            measured.machine.update(machine_seconds() - machine)
    return intake, floor


def cpu_seconds(server: subprocess.Popen[bytes]) -> Counter[str]:
    """User and system CPU seconds so far of the gunicorn processes and of PostgreSQL's."""
    spent: Counter[str] = Counter()
    gunicorn = psutil.Process(server.pid)
    for process in [gunicorn, *gunicorn.children()]:
        spent["gunicorn"] += sum(process.cpu_times()[:2])
    for process in psutil.process_iter(["name"]):
        if process.info["name"] == "postgres":
            with contextlib.suppress(psutil.NoSuchProcess):
                spent["postgres"] += sum(process.cpu_times()[:2])
    return spent


def machine_seconds() -> Counter[str]:
    """CPU seconds of every core so far: busy, and in all (idle and waiting for disks too)."""
    times = psutil.cpu_times()
    waiting = times.idle + getattr(times, "iowait", 0.0)
    # Linux counts a virtual machine's time in `user` as well as in `guest`.
    everything = sum(times) - getattr(times, "guest", 0.0) - getattr(times, "guest_nice", 0.0)
    return Counter({"busy": everything - waiting, "all": everything})


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=200, help="requests to each route before measuring")
    parser.add_argument("--stores", default="postgresql,sqlite", help="comma-separated, in this order")
    parser.add_argument("--rounds", type=int, default=5, help="intake and floor alternate this many times")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    return parser.parse_args()


def create_database(store: str, workdir: Path) -> str:
    if store == "sqlite":
        url = f"sqlite:///{workdir / 'sauti.db'}"
    else:
        url = create_postgres_database("sauti_bench")
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        for panel in load_routing().panels:
            connection.execute(
                Panel.__table__.insert().values(
                    key=panel.key, name=panel.name_en, name_sw=panel.name_sw, description="", active=True
                )
            )
    engine.dispose()
    return url


def drop_database(url: str) -> None:
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink()
        return
    drop_postgres_database(url)


def signed_requests(url: str, messages: int) -> list[tuple[dict[str, str], bytes]]:
    """One signed Twilio webhook per message, from many numbers, as Twilio would send them."""
    prepared = []
    for n in range(messages):
        form, signature = twilio_sms(n, url)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
        prepared.append((headers, urlencode(form).encode()))
    return prepared


def start_gunicorn(
    env: dict[str, str], port: int, workers: int, config: Path = ROOT / "gunicorn.conf.py"
) -> subprocess.Popen[bytes]:
    """gunicorn as `config` (gunicorn.conf.py unless told) sets it up, with `workers` workers."""
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--config",
            str(config),
            "-w",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "bench.ingest_app:app_with_floor()",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                time.sleep(1.0)  # let both workers finish importing
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def worker_peak_rss_mb(server: subprocess.Popen[bytes]) -> list[float]:
    """Each worker's high-water mark of resident memory (VmHWM), in MB."""
    peaks = []
    for child in psutil.Process(server.pid).children():
        status = Path(f"/proc/{child.pid}/status").read_text()
        kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
        peaks.append(round(int(kilobytes) / 1024, 1))
    return peaks


def drain_triage(env: dict[str, str]) -> tuple[float, float]:
    """One worker process drains the triage queue; returns seconds and its peak RSS in MB."""
    started = time.perf_counter()
    worker = subprocess.Popen(
        [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "worker", "--burst", "--queue", "triage"],
        cwd=ROOT,
        env=env,
    )
    peak = 0
    process = psutil.Process(worker.pid)
    while worker.poll() is None:
        try:
            peak = max(peak, process.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    if worker.returncode:
        raise SystemExit(f"worker exited with {worker.returncode}")
    return seconds, peak / 2**20


def drain_rate(url: str) -> float:
    """Cases per second between the first and the last triage: the worker's pace once running."""
    engine = create_engine(url)
    with engine.connect() as connection:
        first, last, triaged = connection.execute(
            select(func.min(Report.triaged_at), func.max(Report.triaged_at), func.count(Report.triaged_at))
        ).one()
    engine.dispose()
    return float((triaged - 1) / (last - first).total_seconds())


def count(url: str, model: type) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        total = int(connection.execute(select(func.count()).select_from(model)).scalar() or 0)
    engine.dispose()
    return total


def print_load(name: str, measured: LoadResult, note: str) -> None:
    print(
        f"{name:8}: {measured.per_second:6.0f} req/s  p50 {measured.percentile(0.5):.1f} ms  "
        f"p99 {measured.percentile(0.99):.1f} ms  ({measured.requests} requests in {measured.seconds:.1f} s, "
        f"{measured.not_ok} not 200; {note})",
        flush=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


if __name__ == "__main__":
    main()
