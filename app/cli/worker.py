"""`worker`: an RQ worker on Sauti's queues, with the retry scheduler and the periodic sweeps,
started again after any outage until it is asked to stop.

Media is fetched by a worker of its own, in a child process: a fetch may wait on a slow media
host for up to a minute, and a report that someone's life is at risk must never wait behind
it. Given `--queue`, one worker listens to the queues named, and no child is started."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import click
from flask.cli import with_appcontext

import workers
from storage import Settings
from workers.dispatch import QUEUES
from workers.runtime import Runtime, build_runtime, current
from workers.supervision import keep_running, run_cron, stop_child, tie_children_to_this_process
from workers.worker import Worker

SCHEDULE = Path(workers.__file__).parent / "schedule.py"
MEDIA_QUEUES = ["media"]
MAIN_QUEUES = [name for name in QUEUES if name not in MEDIA_QUEUES]
# How long a stopping worker waits for its media worker to finish the job in hand.
MEDIA_STOP_SECONDS = 20


@click.command()
@with_appcontext
@click.option("--burst", is_flag=True, help="Drain the queues, then exit.")
@click.option("--no-cron", is_flag=True, help="Do not start the periodic sweeps here.")
@click.option("--queue", "queue_names", multiple=True, type=click.Choice(QUEUES), help="Only these queues.")
def worker(burst: bool, no_cron: bool, queue_names: tuple[str, ...]) -> None:
    """Run jobs from Redis (REDIS_URL). Without Redis the app runs them in-process."""
    settings = current().settings
    if not settings.redis_url:
        raise click.ClickException("REDIS_URL is not set: `make run` already runs jobs in-process.")
    tie_children_to_this_process()
    # Until RQ sets its own handler, a stop asked for ends the worker cleanly, children and all.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    children = []
    if not queue_names:
        children.append(_child(run_media_worker, (settings, burst, os.getpid())))
    if not (burst or no_cron):
        children.append(_child(run_cron, (settings.redis_url, str(SCHEDULE), os.getpid())))
    runtime = build_runtime(settings, background=False)
    try:
        keep_running(lambda: work_once(runtime, list(queue_names or MAIN_QUEUES), burst), "worker")
    finally:
        for child in children:
            if burst:
                child.join()
            stop_child(child, MEDIA_STOP_SECONDS)


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def _child(target: Callable[..., None], args: tuple[object, ...]) -> multiprocessing.Process:
    # Not a daemon: a daemonic process may not start children, and RQ forks a scheduler in each.
    child = multiprocessing.Process(target=target, args=args)
    child.start()
    return child


def run_media_worker(settings: Settings, burst: bool, parent: int) -> None:
    """The media queue's worker, in a child process of `flask worker` (process id `parent`),
    under a runtime of its own and kept running through outages like its parent."""
    if os.getppid() != parent:
        return
    runtime = build_runtime(settings, background=False)
    keep_running(lambda: work_once(runtime, MEDIA_QUEUES, burst), "media worker")


def work_once(runtime: Runtime, queue_names: list[str], burst: bool) -> bool:
    """One run of RQ's work loop; True when it ended because it was asked to or had drained
    the queues in a burst, False when it quit on its own."""
    rq_worker = Worker(queue_names, runtime=runtime)
    level = logging.getLevelName(logging.getLogger().level)
    rq_worker.work(with_scheduler=True, burst=burst, logging_level=level)
    return burst or rq_worker.asked_to_stop
