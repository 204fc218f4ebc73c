"""Liveness and readiness for the load balancer and the orchestrator; counts for Prometheus."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Response, jsonify
from flask.typing import ResponseReturnValue
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, ProcessCollector, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from rq import Worker
from sqlalchemy import text

from app.api import api_roles
from app.api.oversight import OVERSIGHT_ROLES
from storage.models import utcnow
from storage.operations import PipelineCounts, pipeline_counts
from workers.dispatch import RedisDispatcher
from workers.runtime import current

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz() -> ResponseReturnValue:
    return jsonify(status="ok")


@health.get("/readyz")
def readyz() -> ResponseReturnValue:
    checks = {"database": _database_ok(), "queue": _queue_ok()}
    ready = all(checks.values())
    return jsonify(ready=ready, checks=checks), 200 if ready else 503


def _database_ok() -> bool:
    try:
        with current().store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


def _queue_ok() -> bool:
    dispatcher = current().dispatcher
    if not isinstance(dispatcher, RedisDispatcher):
        return True
    try:
        return bool(dispatcher.connection.ping())
    except Exception:
        return False


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
    def collect(self) -> Iterator[GaugeMetricFamily]:
        with current().store.transaction() as session:
            counts = pipeline_counts(session, utcnow())
        yield from _pipeline_gauges(counts)
        dispatcher = current().dispatcher
        if isinstance(dispatcher, RedisDispatcher):
            yield _gauge(
                "sauti_queue_jobs",
                "Jobs waiting on each RQ queue",
                "queue",
                {name: queue.count for name, queue in dispatcher.queues.items()},
            )
            workers = GaugeMetricFamily("sauti_workers", "RQ workers registered on Redis")
            workers.add_metric([], Worker.count(connection=dispatcher.connection))
            yield workers


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
