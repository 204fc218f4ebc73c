"""The periodic sweeps a worker forks stop with it, however the news of its death reaches them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import psutil

from tests.processes import PROJECT, is_alive, wait_until

SCHEDULE = str(PROJECT / "workers" / "schedule.py")
# Nothing listens there: the sweeps find Redis down and wait to try again.
NO_REDIS = "redis://127.0.0.1:1/0"

TOLD_TO_STOP_WHILE_REGISTERING = """
import os, signal, sys
from rq.cron import CronScheduler
from workers.supervision import run_cron

register_birth = CronScheduler.register_birth

def told_to_stop_meanwhile(scheduler):
    os.kill(os.getpid(), signal.SIGTERM)
    register_birth(scheduler)

CronScheduler.register_birth = told_to_stop_meanwhile
run_cron(sys.argv[1], sys.argv[2], os.getppid())
"""

WORKER_WITHOUT_DEATH_SIGNAL = """
import multiprocessing, os, sys, time
from workers.supervision import run_cron

sweeps = multiprocessing.Process(target=run_cron, args=(sys.argv[1], sys.argv[2], os.getpid()))
sweeps.start()
print(sweeps.pid, flush=True)
time.sleep(120)
"""

# The worker dies before the sweeps it forked have first asked for their parent.
WORKER_GONE_BEFORE_ITS_SWEEPS_LOOK = """
import multiprocessing, os, sys, time
from workers.supervision import run_cron

def slow_to_start(redis_url, schedule, worker):
    time.sleep(2)
    run_cron(redis_url, schedule, worker)

sweeps = multiprocessing.Process(target=slow_to_start, args=(sys.argv[1], sys.argv[2], os.getpid()))
sweeps.start()
print(sweeps.pid, flush=True)
time.sleep(120)
"""


def python(script: str, *args: str) -> list[str]:
    return [sys.executable, "-c", script, *args]


def test_sweeps_told_to_stop_while_registering_in_redis_stop():
    """SIGTERM while the scheduler registers itself, before its loop is there to catch it."""
    finished = subprocess.run(
        python(TOLD_TO_STOP_WHILE_REGISTERING, NO_REDIS, SCHEDULE),
        cwd=PROJECT,
        timeout=30,
        capture_output=True,
    )

    assert finished.returncode == 0, finished.stderr.decode()[-2000:]


def sweeps_of_a_sigkilled_worker(script: str) -> psutil.Process:
    """Run `script` as the worker, which prints the pid of the sweeps it forked; SIGKILL it."""
    worker = subprocess.Popen(python(script, NO_REDIS, SCHEDULE), cwd=PROJECT, stdout=subprocess.PIPE)
    assert worker.stdout is not None
    sweeps = psutil.Process(int(worker.stdout.readline()))
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    return sweeps


def test_sweeps_whose_worker_is_gone_stop_at_their_next_attempt_even_without_the_signal():
    sweeps = sweeps_of_a_sigkilled_worker(WORKER_WITHOUT_DEATH_SIGNAL)

    wait_until(lambda: not is_alive(sweeps), 20, "the sweeps outlived their worker")


def test_sweeps_whose_worker_died_before_they_looked_for_it_stop_too():
    sweeps = sweeps_of_a_sigkilled_worker(WORKER_GONE_BEFORE_ITS_SWEEPS_LOOK)

    wait_until(lambda: not is_alive(sweeps), 20, "the sweeps outlived their worker")
