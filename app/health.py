"""Liveness and readiness for the load balancer and the orchestrator; counts for Prometheus."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator

from flask import Blueprint, Response, jsonify
from flask.typing import ResponseReturnValue
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, ProcessCollector, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from app.api import api_roles
from app.api.oversight import OVERSIGHT_ROLES
from app.doctor import PROBLEM, check_database
from storage.database import Store
from storage.models import utcnow
from storage.operations import PipelineCounts, pipeline_counts
from workers.dispatch import Dispatcher, RedisDispatcher
from workers.runtime import Runtime, current
from workers.worker import live_workers

log = logging.getLogger(__name__)
health = Blueprint("health", __name__)
# A probe gives up after a few seconds: a service that has not answered by then is not ready.
READY_SECONDS = 2.0


@health.get("/healthz")
def healthz() -> ResponseReturnValue:
    return jsonify(status="ok")


@health.get("/readyz")
def readyz() -> ResponseReturnValue:
    """Ready when this process can take reports: the database answers, at this code's schema.
    Redis is reported but not required: without it reports wait in the database for the sweep,
    and a load balancer would otherwise take every instance out during a harmless outage."""
    runtime = current()
    checks = _answers_within(
        READY_SECONDS,
        {"database": lambda: _database_ready(runtime), "queue": lambda: _queue_ok(runtime.dispatcher)},
    )
    ready = checks["database"]
    return jsonify(ready=ready, checks=checks), 200 if ready else 503


def _database_ready(runtime: Runtime) -> bool:
    """Reachable and at the schema this code needs, as `flask doctor` checks it: on a database
    without the schema, or behind the code's migrations, every webhook would fail."""
    return all(finding.level != PROBLEM for finding in check_database(runtime))


def _queue_ok(dispatcher: Dispatcher) -> bool:
    if not isinstance(dispatcher, RedisDispatcher):
        return True
    return bool(dispatcher.connection.ping())


def _answers_within(seconds: float, checks: dict[str, Callable[[], bool]]) -> dict[str, bool]:
    """Each check's answer, the checks run side by side; False for one that failed or has not
    answered within `seconds`, as a database that accepts connections and never answers does
    (its thread is let go, and ends at the database's own deadlines)."""
    answers: dict[str, bool] = {}

    def answer(name: str, check: Callable[[], bool]) -> None:
        try:
            answers[name] = check()
        except Exception as error:
            log.warning("ready.check_failed", extra={"check": name, "error": type(error).__name__})

    threads = [threading.Thread(target=answer, args=item, daemon=True) for item in checks.items()]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + seconds
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return {name: answers.get(name, False) for name in checks}


@health.get("/metrics")
@api_roles(*OVERSIGHT_ROLES)
def metrics() -> Response:
    """The pipeline's counts now, and this serving process's own CPU and memory, in
    Prometheus's text format. Counts only: no text, number or reference."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(PipelineCollector())
    ProcessCollector(registry=registry)
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


class PipelineCollector(Collector):
    """The pipeline's counts, and whether the database and Redis could be read for them
    (`sauti_database_up`, `sauti_redis_up`): a service that is down takes only the counts read
    from it, and the others stay, to alert on during the outage."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        runtime = current()
        yield from _database_gauges(runtime.store)
        if isinstance(runtime.dispatcher, RedisDispatcher):
            yield from _redis_gauges(runtime.dispatcher)


def _database_gauges(store: Store) -> Iterator[GaugeMetricFamily]:
    try:
        with store.transaction() as session:
            counts = pipeline_counts(session, utcnow())
    except SQLAlchemyError as error:
        log.warning("metrics.database_unreadable", extra={"error": type(error).__name__})
        yield _up("sauti_database_up", False)
        return
    yield _up("sauti_database_up", True)
    yield from _pipeline_gauges(counts)


def _redis_gauges(dispatcher: RedisDispatcher) -> Iterator[GaugeMetricFamily]:
    try:
        queued = {name: queue.count for name, queue in dispatcher.queues.items()}
        registered = len(live_workers(dispatcher.connection))
    except RedisError as error:
        log.warning("metrics.redis_unreadable", extra={"error": type(error).__name__})
        yield _up("sauti_redis_up", False)
        return
    yield _up("sauti_redis_up", True)
    yield _gauge("sauti_queue_jobs", "Jobs waiting on each RQ queue", "queue", queued)
    workers = GaugeMetricFamily("sauti_workers", "RQ workers registered on Redis")
    workers.add_metric([], registered)
    yield workers


UP_DOCUMENTATION = {
    "sauti_database_up": "Whether the database could be read for these counts",
    "sauti_redis_up": "Whether Redis could be read for the queues and workers",
}


def _up(name: str, up: bool) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, UP_DOCUMENTATION[name], value=int(up))


def _pipeline_gauges(counts: PipelineCounts) -> Iterator[GaugeMetricFamily]:
    yield _gauge(
        "sauti_reports", "Reports by status (received: waiting for triage)", "status", counts.reports
    )
    oldest = GaugeMetricFamily(
        "sauti_oldest_waiting_report_seconds", "Age of the oldest report still waiting for triage"
    )
    oldest.add_metric([], counts.oldest_waiting_seconds)
    yield oldest
    open_cases = GaugeMetricFamily("sauti_open_cases", "Cases not resolved", labels=["panel", "urgency"])
    for (panel, urgency), count in sorted(counts.open_cases.items()):
        open_cases.add_metric([panel, urgency], count)
    yield open_cases
    yield _gauge(
        "sauti_overdue_cases",
        "Open cases past the deadline of their next step",
        "panel",
        counts.overdue_cases,
    )
    yield _gauge("sauti_outbound_messages", "Messages to reporters by status", "status", counts.outbound)
    yield _gauge("sauti_attachments", "Attachments by state", "state", counts.attachments)


def _gauge(name: str, documentation: str, label: str, values: dict[str, int]) -> GaugeMetricFamily:
    gauge = GaugeMetricFamily(name, documentation, labels=[label])
    for key, value in sorted(values.items()):
        gauge.add_metric([key], value)
    return gauge
