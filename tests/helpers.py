"""Small readers of the database for assertions, and ways to hold the group commit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import event, func, select, text, update

from storage import Case, Message, OutboundMessage, Report
from storage.casework.opening import text_of_reporter
from storage.models import Attachment, Reporter
from workers.dispatch import InProcessDispatcher, RedisDispatcher
from workers.runtime import Runtime

if TYPE_CHECKING:
    from tests.fixtures.stand_ins import GatewayStandIn

# Query values the input policy refuses: digits `str.isdigit()` takes and `int()` does not
# (superscript two), or reads as another number (full-width five, Arabic-Indic one); times that
# exist nowhere in UTC.
OTHER_DIGITS = ["page=%C2%B2", "per_page=%EF%BC%95", "page=%D9%A1"]
BEYOND_UTC = ["since=9999-12-31T23:59:59-14:00", "since=0001-01-01T00:00:00%2B14:00"]


def count(runtime: Runtime, model: type) -> int:
    with runtime.store.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def rows(runtime: Runtime, *models: type) -> dict[str, int]:
    """The number of rows of each model, by the model's name."""
    return {model.__name__: count(runtime, model) for model in models}


def end_stories(runtime: Runtime) -> None:
    """As if every number's last report were more than a story's minutes old: what it sends
    next, naming no report, is a report of its own."""
    with runtime.store.transaction() as session:
        session.execute(update(Reporter).values(story_until=None, story_parts=0))


def only_report(runtime: Runtime) -> Report:
    with runtime.store.transaction() as session:
        report = session.scalars(select(Report)).one()
        report.case  # noqa: B018  (load it while the session is open)
        report.reporter  # noqa: B018
        return report


def report_by_ref(runtime: Runtime, ref: str) -> Report:
    with runtime.store.transaction() as session:
        report = session.scalars(select(Report).where(Report.ref == ref)).one()
        report.case  # noqa: B018
        return report


def decrypted_text(runtime: Runtime, ref: str) -> str:
    """Everything the reporter wrote to the report, one message to a line."""
    with runtime.store.transaction() as session:
        report = session.scalars(select(Report).where(Report.ref == ref)).one()
        return text_of_reporter(session, runtime.store.keys, report)


def lose_queued_jobs(runtime: Runtime) -> None:
    """What a crash or a flushed Redis does: the database keeps the work, the queue forgets it."""
    dispatcher = runtime.dispatcher
    if isinstance(dispatcher, RedisDispatcher):
        for queue in dispatcher.queues.values():
            queue.empty()
    else:
        assert isinstance(dispatcher, InProcessDispatcher)
        while not dispatcher.pending.empty():
            dispatcher.pending.get_nowait()
            dispatcher.pending.task_done()


def cases(runtime: Runtime) -> list[Case]:
    with runtime.store.transaction() as session:
        found = list(session.scalars(select(Case)))
        for case in found:
            case.panel  # noqa: B018
        return found


def outbound(runtime: Runtime) -> list[OutboundMessage]:
    with runtime.store.transaction() as session:
        return list(session.scalars(select(OutboundMessage).order_by(OutboundMessage.created_at)))


def thread_length(runtime: Runtime, ref: str) -> int:
    with runtime.store.transaction() as session:
        report = session.scalars(select(Report).where(Report.ref == ref)).one()
        return int(session.scalar(select(func.count()).where(Message.report_id == report.id)) or 0)


def reference_in(twiml: str) -> str:
    import re

    match = re.search(r"\b([2-9A-Z]{3}-[2-9A-Z]{3})\b", twiml)
    assert match, f"no reference in {twiml!r}"
    return match.group(1)


def attachments(runtime: Runtime) -> list[Attachment]:
    """Every attachment, oldest message first, in the order it was sent."""
    with runtime.store.transaction() as session:
        query = select(Attachment).order_by(Attachment.created_at, Attachment.position)
        return list(session.scalars(query))


def texts_sent(twilio_api: GatewayStandIn) -> list[str]:
    """The SMS bodies sent through Twilio's REST API, in order."""
    return [str(request["form"]["Body"][0]) for request in twilio_api.requests if "form" in request]  # type: ignore[index]


def count_commits(runtime: Runtime, threads: str | None = None) -> list[str]:
    """A list that gathers, from now on, one entry for each commit of the store (only of the
    threads whose names start with `threads`, if given): a transaction's commit, or a
    statement run in autocommit."""
    commits: list[str] = []

    def counted(*_: Any) -> None:
        if threads is None or threading.current_thread().name.startswith(threads):
            commits.append(threading.current_thread().name)

    event.listen(runtime.store.engine, "commit", counted)
    if runtime.store.autocommit is not None:
        event.listen(runtime.store.autocommit, "after_cursor_execute", counted)
    return commits


@contextmanager
def database_held(runtime: Runtime) -> Iterator[None]:
    """Keep the committer from writing until the block ends: on SQLite by holding the write
    lock, on PostgreSQL by locking the reports table against inserts."""
    with runtime.store.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("LOCK TABLE reports IN EXCLUSIVE MODE"))
        yield


def wait_until(condition: Callable[[], bool]) -> None:
    for _ in range(1000):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError(f"{condition} never held within 10 s")


def families_as_cases(families: dict[str, list[str]]) -> list[Any]:
    """Parameters named "<family>-<index>", one per sentence of each family of messages."""
    return [
        pytest.param(text, id=f"{family}-{index}")
        for family, texts in families.items()
        for index, text in enumerate(texts)
    ]


def sample(exposition: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus's text format."""
    for family in text_string_to_metric_families(exposition):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return found.value
    raise AssertionError(f"no sample {name} {labels}")
