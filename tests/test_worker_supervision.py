"""`flask worker` as a service manager runs it: through outages, and never leaving orphans."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from sqlalchemy import func, select

from app.context import runtime_of
from storage import Report
from workers.runtime import Runtime

pytestmark = [pytest.mark.services, pytest.mark.parametrize("stack", ["postgresql"], indirect=True)]
PROJECT = Path(__file__).resolve().parent.parent


def start_worker(config: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`flask worker` in a process of its own, as systemd or a container would start it."""
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
            env=os.environ | config,
            cwd=PROJECT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


@pytest.fixture
def worker_process(tmp_path: Path) -> Iterator[Callable[[dict[str, str]], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(config: dict[str, str]) -> subprocess.Popen[bytes]:
        process = start_worker(config, tmp_path / f"worker-{len(started)}.log")
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} within {seconds} s")


def triaged(runtime: Runtime) -> int:
    with runtime.store.transaction() as session:
        return session.scalar(select(func.count()).where(Report.status == "triaged")) or 0


def living_children(process: psutil.Process) -> list[psutil.Process]:
    return [child for child in process.children(recursive=True) if is_alive(child)]


def is_alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_worker_rides_out_a_redis_restart_then_triages_what_arrives(
    make_app,
    app_config,
    own_redis,
    send_sms_to,
    worker_process,
):
    port, servers, start = own_redis
    redis_url = f"redis://127.0.0.1:{port}/0"
    app = make_app(REDIS_URL=redis_url)
    worker = worker_process(app_config | {"REDIS_URL": redis_url})
    send_sms_to(app.test_client(), "Polisi walimpiga kijana Gikomba asubuhi")
    wait_until(lambda: triaged(runtime_of(app)) == 1, 60, "the first report was not triaged")

    servers[0].terminate()
    servers[0].wait()
    time.sleep(6)
    assert worker.poll() is None
    servers.append(start())
    for n in range(3):
        send_sms_to(app.test_client(), f"Askari waliitisha hongo soko la Gikomba ({n})")

    wait_until(lambda: triaged(runtime_of(app)) == 4, 90, "the later reports were not triaged")
    assert worker.poll() is None


def test_a_sigkilled_worker_leaves_no_child_running(app, app_config, worker_process):
    worker = psutil.Process(worker_process(app_config).pid)
    wait_until(lambda: len(living_children(worker)) >= 2, 60, "the scheduler and sweeps did not start")
    children = living_children(worker)

    os.kill(worker.pid, signal.SIGKILL)

    wait_until(lambda: not any(is_alive(child) for child in children), 20, "a child outlived the worker")
