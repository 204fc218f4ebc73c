"""`worker`: an RQ worker on Sauti's queues, with the retry scheduler and the periodic sweeps.

Jobs run in the worker process itself (RQ's SimpleWorker) with the triage model loaded once:
forking a work horse per job would reload the model for every report. A job cut short by a
crash is not lost: the sweeps find its report or message still pending in the database."""

from __future__ import annotations

import logging
import multiprocessing
from pathlib import Path

import click
from redis import Redis
from rq import SimpleWorker
from rq.cron import CronScheduler

import triage
import workers
from workers.dispatch import QUEUES, RedisDispatcher
from workers.runtime import current

SCHEDULE = Path(workers.__file__).parent / "schedule.py"


@click.command()
@click.option("--burst", is_flag=True, help="Drain the queues, then exit.")
@click.option("--no-cron", is_flag=True, help="Do not start the periodic sweeps here.")
@click.option("--queue", "queue_names", multiple=True, type=click.Choice(QUEUES), help="Only these queues.")
def worker(burst: bool, no_cron: bool, queue_names: tuple[str, ...]) -> None:
    """Run jobs from Redis (REDIS_URL). Without Redis the app runs them in-process."""
    runtime = current()
    if not runtime.settings.redis_url:
        raise click.ClickException("REDIS_URL is not set: `make run` already runs jobs in-process.")
    # Jobs here carry batches already: what they enqueue goes at once, not after a linger.
    dispatcher = runtime.dispatcher = RedisDispatcher(runtime.settings.redis_url)
    cron = None
    if not (burst or no_cron):
        cron = multiprocessing.Process(target=run_cron, args=(runtime.settings.redis_url,), daemon=True)
        cron.start()
    try:
        triage.shipped_model()
        queues = [dispatcher.queues[name] for name in queue_names or QUEUES]
        level = logging.getLevelName(logging.getLogger().level)
        SimpleWorker(queues, connection=dispatcher.connection).work(
            with_scheduler=True, burst=burst, logging_level=level
        )
    finally:
        if cron is not None:
            cron.terminate()


def run_cron(redis_url: str) -> None:
    scheduler = CronScheduler(connection=Redis.from_url(redis_url))
    scheduler.load_config_from_file(str(SCHEDULE))
    scheduler.start()
