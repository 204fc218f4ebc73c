"""A web process killed while requests wait on its group commit: every report it acknowledged
is stored, and the gateway's retries of the others store each exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import psutil
import pytest
from sqlalchemy import func, select, text

from storage import Message, Report
from tests.fixtures.stand_ins import free_port
from tests.fixtures.webhooks import twilio_form, twilio_signature
from tests.helpers import reference_in, wait_until
from tests.test_group_commit import database_held
from workers.runtime import Runtime

pytestmark = pytest.mark.services
ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def gunicorn(app_config: dict[str, str]) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """gunicorn as `gunicorn -w 1 wsgi:app` runs it from the project root (gunicorn.conf.py)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=os.environ | app_config | {"PUBLIC_BASE_URL": "http://localhost"},
        stderr=subprocess.DEVNULL,
    )
    try:
        yield server, port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def deliver(port: int, form: dict[str, str]) -> tuple[int, str]:
    """POST one signed webhook as Twilio would: its status and body, or 0 when the connection
    broke before an answer."""
    request = Request(
        f"http://127.0.0.1:{port}/channels/twilio/sms",
        data=urlencode(form).encode(),
        headers={"X-Twilio-Signature": twilio_signature(form)},
    )
    try:
        with urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except (URLError, ConnectionError):
        return 0, ""


def deliver_until_answered(port: int, form: dict[str, str]) -> tuple[int, str]:
    """A gateway's retries: again until the server, restarting its worker, answers."""
    for _ in range(300):
        status, body = deliver(port, form)
        if status:
            return status, body
        time.sleep(0.1)
    raise AssertionError("gunicorn never answered again")


def worker_pid(server: subprocess.Popen[bytes]) -> int:
    for _ in range(300):
        children = [
            int(entry.name)
            for entry in Path("/proc").iterdir()
            if entry.name.isdigit() and _parent_of(entry) == server.pid
        ]
        if children:
            return children[0]
        time.sleep(0.1)
    raise AssertionError("gunicorn started no worker")


def _parent_of(process: Path) -> int | None:
    try:
        return int((process / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def connections_held(worker: int, port: int) -> int:
    """The connections the worker has accepted: one still in the listening socket's queue would
    be answered by the worker started after the kill."""
    return sum(
        connection.laddr.port == port and connection.status == psutil.CONN_ESTABLISHED
        for connection in psutil.Process(worker).net_connections(kind="tcp")
    )


def wait_until_the_commit_waits(runtime: Runtime) -> None:
    """On PostgreSQL, until the batch's statement waits on the test's lock; SQLite cannot say
    who waits for its lock, so there a moment is given for the requests to arrive."""
    if runtime.store.engine.dialect.name != "postgresql":
        time.sleep(1.5)
        return
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    for _ in range(300):
        with runtime.store.engine.connect() as connection:
            if connection.execute(query).scalar():
                return
        time.sleep(0.05)
    raise AssertionError("no commit ever waited on the lock")


def stored_refs(runtime: Runtime) -> dict[str, list[str]]:
    with runtime.store.transaction() as session:
        rows = session.execute(
            select(Message.external_id, Report.ref).join(Report, Report.id == Message.report_id)
        ).all()
    refs: dict[str, list[str]] = {}
    for external_id, ref in rows:
        refs.setdefault(external_id, []).append(ref)
    return refs


def test_killing_a_web_process_mid_commit_loses_no_acknowledged_report_and_stores_retries_once(
    app_config, runtime
):
    forms = [
        twilio_form(f"Polisi walimpiga kijana Gikomba ({n})", sender=f"+2547123450{n:02d}") for n in range(12)
    ]
    with gunicorn(app_config) as (server, port):
        answered_first = [deliver_until_answered(port, form) for form in forms[:4]]
        worker = worker_pid(server)
        with ThreadPoolExecutor(max_workers=8) as pool, database_held(runtime):
            waiting = [pool.submit(deliver, port, form) for form in forms[4:]]
            wait_until(lambda: connections_held(worker, port) >= len(waiting))
            wait_until_the_commit_waits(runtime)
            os.kill(worker, signal.SIGKILL)
            answered_in_the_kill = [answer.result() for answer in waiting]
        acknowledged = {
            form["MessageSid"]: reference_in(body)
            for form, (status, body) in zip(forms, answered_first + answered_in_the_kill, strict=True)
            if 200 <= status < 300
        }
        stored_after_the_kill = stored_refs(runtime)
        retried = [deliver_until_answered(port, form) for form in forms]

    assert [status for status, _ in answered_first] == [200] * 4
    assert [status for status, _ in answered_in_the_kill] == [0] * 8
    assert len(acknowledged) == 4
    assert all(stored_after_the_kill.get(sid) == [ref] for sid, ref in acknowledged.items())
    assert [status for status, _ in retried] == [200] * 12
    stored = stored_refs(runtime)
    assert sorted(stored) == sorted(form["MessageSid"] for form in forms)
    assert all(len(refs) == 1 for refs in stored.values())
    assert all(stored[sid] == [ref] for sid, ref in acknowledged.items())
    with runtime.store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 12
