"""`worker`: an RQ worker on Sauti's queues, with the retry scheduler and the periodic sweeps,
started again after any outage until it is asked to stop.

Media is fetched, and SMS sent, each by a worker of its own in a child process: a fetch may
wait on a slow media host for up to a minute, an SMS gateway may take seconds to answer or
never answer, and a report that someone's life is at risk must never wait behind either. Given
`--queue`, one worker listens to the queues named, and no child is started."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path

import click
from flask.cli import with_appcontext

import workers
from storage import Settings
from workers.dispatch import QUEUES
from workers.runtime import Runtime, build_runtime, current
from workers.supervision import (
    StopSignal,
    keep_running,
    run_cron,
    stop_processes,
    tie_children_to_this_process,
)
from workers.worker import Worker, unavailable_service

SCHEDULE = Path(workers.__file__).parent / "schedule.py"
# The queues worked by children of their own, each by what it does.
SIDE_QUEUES = {"media worker": ["media"], "notify worker": ["notify"]}
MAIN_QUEUES = [name for name in QUEUES if all(name not in queues for queues in SIDE_QUEUES.values())]
# How long a stopping worker waits for its media and notify workers to finish the job in hand,
# and for the periodic sweeps to stop: past the gateways' timeouts (10 s to connect, 10 s to
# answer), so that a message in hand is settled, not left claimed; within the 60 s a service
# manager gives (deploy/systemd). A child that has not stopped is asked again this often: it
# may have missed the ask (one busy finishes its job all the same).
CHILD_STOP_SECONDS = 30
CHILD_ASK_SECONDS = 5.0


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
    # Until RQ sets its own handlers, and between its runs, a stop asked for is noted here and
    # carried out at the next look.
    stop = StopSignal()
    stop.install()
    try:
        if not (queue_names or burst):
            _start_side_workers(settings, burst)
        if not (burst or no_cron):
            _start(run_cron, (settings.redis_url, str(SCHEDULE), os.getpid()))
        runtime = build_runtime(settings, background=False)
        queues = list(queue_names or MAIN_QUEUES)
        keep_running(
            lambda: work_once(runtime, queues, burst, stop), "worker", stop, ready=answering(runtime)
        )
        if burst and not (queue_names or stop.asked):
            # Only now is all that triage wrote to reporters on the notify queue.
            _start_side_workers(settings, burst)
    finally:
        _stop_children(burst)


def _stop_children(burst: bool) -> None:
    """Every child this process started, however the run ended (an error while starting one
    included): Python would wait at exit, without end, for a child nobody asked to stop."""
    children = multiprocessing.active_children()
    if burst:
        for child in children:
            child.join()
    stop_processes(children, CHILD_STOP_SECONDS, ask_every=CHILD_ASK_SECONDS)


def _start_side_workers(settings: Settings, burst: bool) -> None:
    for what in SIDE_QUEUES:
        _start(run_side_worker, (settings, burst, os.getpid(), what))


def _start(target: Callable[..., None], args: tuple[object, ...]) -> None:
    # Not a daemon: a daemonic process may not start children, and RQ forks a scheduler in each.
    multiprocessing.Process(target=target, args=args).start()


def run_side_worker(settings: Settings, burst: bool, parent: int, what: str) -> None:
    """The worker of SIDE_QUEUES[what], in a child process of `flask worker` (process id
    `parent`), under a runtime of its own and kept running through outages like its parent."""
    if os.getppid() != parent:
        return
    stop = StopSignal()
    stop.install()
    runtime = build_runtime(settings, background=False)
    keep_running(
        lambda: work_once(runtime, SIDE_QUEUES[what], burst, stop), what, stop, ready=answering(runtime)
    )


def answering(runtime: Runtime) -> Callable[[], bool]:
    """Whether Redis and the database both answer, for a worker waiting for them."""
    return lambda: unavailable_service(runtime) is None


def work_once(runtime: Runtime, queue_names: list[str], burst: bool, stop: StopSignal) -> bool:
    """One run of RQ's work loop; True when it ended because it was asked to or had drained
    the queues in a burst, False when it quit on its own."""
    rq_worker = Worker(queue_names, runtime=runtime, stop=stop)
    level = logging.getLevelName(logging.getLogger().level)
    rq_worker.work(with_scheduler=True, burst=burst, logging_level=level)
    return burst or rq_worker.asked_to_stop
