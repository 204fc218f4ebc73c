"""`flask worker` as a service manager runs it: through outages, and never leaving orphans."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
from sqlalchemy import func, select

from app.context import runtime_of
from storage import Report
from tests.processes import is_alive, wait_until
from workers.runtime import Runtime

pytestmark = [pytest.mark.services, pytest.mark.parametrize("stack", ["postgresql"], indirect=True)]


def triaged(runtime: Runtime) -> int:
    with runtime.store.transaction() as session:
        return session.scalar(select(func.count()).where(Report.status == "triaged")) or 0


def living_children(process: psutil.Process) -> list[psutil.Process]:
    return [child for child in process.children(recursive=True) if is_alive(child)]


def catches_sigterm(process: psutil.Process) -> bool:
    """Whether it has a handler of its own for SIGTERM (a bit in /proc/<pid>/status's SigCgt)."""
    try:
        status = Path(f"/proc/{process.pid}/status").read_text()
    except OSError:
        return False
    caught = next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt"))
    return bool(int(caught, 16) & (1 << (signal.SIGTERM - 1)))


# /proc/<pid>/status: the process's state, and its signals pending, blocked, ignored and caught.
SIGNAL_LINES = ("State", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt")


def outlived(children: list[psutil.Process]) -> Callable[[], str]:
    """What a child still alive was doing, for a failure to say."""

    def told() -> str:
        alive = [child for child in children if is_alive(child)]
        return "children outlived the worker: " + "; ".join(_described(child) for child in alive)

    return told


def _described(process: psutil.Process) -> str:
    """Its state, and whether SIGTERM is pending, blocked, ignored or caught."""
    try:
        status = Path(f"/proc/{process.pid}/status").read_text().splitlines()
    except OSError:
        return f"{process.pid} gone"
    signals = [" ".join(line.split()) for line in status if line.startswith(SIGNAL_LINES)]
    return f"{process.pid} ({', '.join(signals)})"


def test_worker_rides_out_a_redis_restart_then_triages_what_arrives(
    make_app, app_config, own_redis, send_sms_to, processes
):
    redis_url, servers, start = own_redis
    app = make_app(REDIS_URL=redis_url)
    worker = processes.worker(app_config | {"REDIS_URL": redis_url}, "worker")
    send_sms_to(app.test_client(), "Polisi walimpiga kijana Gikomba asubuhi")
    wait_until(lambda: triaged(runtime_of(app)) == 1, 60, "the first report was not triaged")

    servers[0].terminate()
    servers[0].wait()
    time.sleep(6)
    assert worker.poll() is None
    servers.append(start())
    for n in range(3):
        send_sms_to(app.test_client(), f"Askari waliitisha hongo soko la Gikomba ({n})", f"+25471234560{n}")

    wait_until(lambda: triaged(runtime_of(app)) == 4, 90, "the later reports were not triaged")
    assert worker.poll() is None


def test_a_sigkilled_worker_leaves_no_child_running(app, app_config, processes):
    worker = psutil.Process(processes.worker(app_config, "worker").pid)
    wait_until(lambda: len(living_children(worker)) >= 2, 60, "the scheduler and sweeps did not start")
    children = living_children(worker)

    os.kill(worker.pid, signal.SIGKILL)

    wait_until(lambda: not any(is_alive(child) for child in children), 20, outlived(children))


def test_a_worker_sigkilled_while_it_starts_its_children_leaves_none_running(app, app_config, processes):
    worker = psutil.Process(processes.worker(app_config, "worker").pid)
    while not (catches_sigterm(worker) and living_children(worker)):
        time.sleep(0.005)
    time.sleep(0.05)  # the children still starting, before any sets a handler of its own
    children = living_children(worker)

    os.kill(worker.pid, signal.SIGKILL)

    wait_until(lambda: not any(is_alive(child) for child in children), 20, outlived(children))


def test_a_worker_started_before_redis_waits_for_it_then_triages(
    make_app, app_config, own_redis, send_sms_to, processes
):
    redis_url, servers, start = own_redis
    servers[0].terminate()
    servers[0].wait()
    app = make_app(REDIS_URL=redis_url)
    worker = processes.worker(app_config | {"REDIS_URL": redis_url}, "worker")
    time.sleep(4)
    assert worker.poll() is None

    servers.append(start())
    send_sms_to(app.test_client(), "Polisi walimpiga kijana Gikomba asubuhi")

    wait_until(lambda: triaged(runtime_of(app)) == 1, 90, "the report was not triaged")


def stopped(worker: subprocess.Popen[bytes], log: Path, children: list[psutil.Process]) -> int | None:
    """The worker's exit status once it stops, within 30 s; failing with what it logged and what
    its children were doing when it did not."""
    try:
        return worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        logged = log.read_text(errors="replace")[-3000:]
        pytest.fail(f"the worker did not stop within 30 s; {outlived(children)()}; it logged:\n{logged}")


def test_sigterm_stops_the_worker_and_its_children_cleanly(app, app_config, processes):
    worker = processes.worker(app_config, "worker")
    parent = psutil.Process(worker.pid)
    wait_until(lambda: len(living_children(parent)) >= 2, 60, "the scheduler and sweeps did not start")
    children = living_children(parent)

    worker.terminate()

    assert stopped(worker, processes.folder / "worker.log", children) == 0
    wait_until(lambda: not any(is_alive(child) for child in children), 20, outlived(children))


def test_sigterm_while_the_worker_starts_its_children_stops_them_all(app, app_config, processes):
    worker = processes.worker(app_config, "worker")
    parent = psutil.Process(worker.pid)
    # Its handler set, a child started: the sweeps being started, or the worker's own runtime built.
    while not (catches_sigterm(parent) and living_children(parent)) and worker.poll() is None:
        time.sleep(0.005)
    children = living_children(parent)

    worker.terminate()

    assert stopped(worker, processes.folder / "worker.log", children) == 0
    wait_until(lambda: not any(is_alive(child) for child in children), 20, outlived(children))
