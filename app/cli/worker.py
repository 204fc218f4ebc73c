"""`worker`: an RQ worker on Sauti's queues, with the retry scheduler and the periodic sweeps,
started again after any outage until it is asked to stop."""

from __future__ import annotations

import logging
import multiprocessing
import os
from pathlib import Path

import click
from flask.cli import with_appcontext

import workers
from workers.dispatch import QUEUES
from workers.runtime import Runtime, build_runtime, current
from workers.supervision import keep_running, run_cron, tie_children_to_this_process
from workers.worker import Worker

SCHEDULE = Path(workers.__file__).parent / "schedule.py"


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
    runtime = build_runtime(settings, background=False)
    cron = None
    if not (burst or no_cron):
        sweeps = (settings.redis_url, str(SCHEDULE), os.getpid())
        cron = multiprocessing.Process(target=run_cron, args=sweeps, daemon=True)
        cron.start()
    try:
        keep_running(lambda: work_once(runtime, list(queue_names or QUEUES), burst), "worker")
    finally:
        if cron is not None:
            cron.terminate()
            cron.join(timeout=10)


def work_once(runtime: Runtime, queue_names: list[str], burst: bool) -> bool:
    """One run of RQ's work loop; True when it ended because it was asked to or had drained
    the queues in a burst, False when it quit on its own."""
    rq_worker = Worker(queue_names, runtime=runtime)
    level = logging.getLevelName(logging.getLogger().level)
    rq_worker.work(with_scheduler=True, burst=burst, logging_level=level)
    return burst or rq_worker.asked_to_stop
