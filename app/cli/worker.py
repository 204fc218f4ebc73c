"""`worker`: an RQ worker on Sauti's queues, with the retry scheduler and the periodic sweeps."""

from __future__ import annotations

import logging
import multiprocessing
from pathlib import Path

import click
from flask.cli import with_appcontext
from redis import Redis
from rq.cron import CronScheduler

import workers
from workers.dispatch import QUEUES
from workers.runtime import build_runtime, current
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
    runtime = build_runtime(settings, background=False)
    cron = None
    if not (burst or no_cron):
        cron = multiprocessing.Process(target=run_cron, args=(settings.redis_url,), daemon=True)
        cron.start()
    try:
        rq_worker = Worker(list(queue_names or QUEUES), runtime=runtime)
        level = logging.getLevelName(logging.getLogger().level)
        rq_worker.work(with_scheduler=True, burst=burst, logging_level=level)
    finally:
        if cron is not None:
            cron.terminate()


def run_cron(redis_url: str) -> None:
    scheduler = CronScheduler(connection=Redis.from_url(redis_url))
    scheduler.load_config_from_file(str(SCHEDULE))
    scheduler.start()  # type: ignore[no-untyped-call]
