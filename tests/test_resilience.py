"""Nothing is lost when Redis, a worker or the database fails."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from rq import Queue
from sqlalchemy import create_engine, select, text

from app import create_app
from app.context import runtime_of
from storage import Case, OutboundMessage, Report
from storage.audit import AUDIT_LOCK_ID
from tests.fixtures.stand_ins import free_port
from tests.fixtures.webhooks import twilio_form, twilio_signature
from tests.helpers import count
from workers import jobs
from workers.runtime import Runtime, bound
from workers.worker import Worker

pytestmark = pytest.mark.services


def test_database_down_answers_503_and_logs_no_content(app_config, send_sms_to, caplog):
    caplog.set_level(logging.INFO)
    app = create_app(
        app_config | {"DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/none"},
        start_worker=False,
    )

    response = send_sms_to(app.test_client(), "Polisi wamemchukua Baraka sasa hivi")

    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "storage.unavailable" in caplog.text
    assert "Baraka" not in caplog.text
    assert "712345678" not in caplog.text


@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_reports_sent_while_redis_is_down_are_stored_then_triaged_once(make_app, own_redis, send_sms_to):
    redis_url, servers, start = own_redis
    app = make_app(REDIS_URL=redis_url)
    runtime = runtime_of(app)
    client = app.test_client()
    servers[0].terminate()
    servers[0].wait()

    responses = [
        send_sms_to(client, f"Polisi walimpiga mtu wa {n} Eastleigh", f"+25471234560{n}") for n in range(3)
    ]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert count(runtime, Report) == 3
    servers.append(start())
    with bound(runtime):
        jobs.sweep_received()
        jobs.sweep_received()
    burst(runtime)
    assert count(runtime, Case) == 3
    with runtime.store.transaction() as session:
        assert set(session.scalars(select(Report.status))) == {"triaged"}
        assert session.scalar(select(OutboundMessage.id).where(OutboundMessage.status != "sent")) is None


@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_a_worker_killed_mid_job_leaves_exactly_one_case(app, app_config, send_sms_to, runtime):
    send_sms_to(app.test_client(), "Polisi wamemchukua kijana sasa hivi Pumwani")
    blocker = create_engine(app_config["DATABASE_URL"])
    with blocker.connect() as connection:
        transaction = connection.begin()
        # The worker stops at the audit chain's lock, its case already written but not committed.
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": AUDIT_LOCK_ID})
        worker = multiprocessing.get_context("fork").Process(target=work_burst, args=(app_config,))
        worker.start()
        wait_until_waiting_on_lock(blocker)
        os.kill(worker.pid, signal.SIGKILL)
        worker.join()
        transaction.rollback()
    blocker.dispose()

    assert count(runtime, Case) == 0
    jobs.sweep_received()
    burst(runtime)
    jobs.sweep_received()
    burst(runtime)
    assert count(runtime, Case) == 1
    assert count(runtime, OutboundMessage) == 1


@pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
def test_report_ids_a_web_process_holds_reach_the_queue_when_gunicorn_stops(app_config, runtime):
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "1",
            "--threads",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        env=os.environ | app_config | {"PUBLIC_BASE_URL": "http://localhost"},
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port)
    for n in range(5):
        form = twilio_form(f"Polisi walimpiga kijana Gikomba ({n})", f"+25471234560{n}")
        request = Request(
            f"http://127.0.0.1:{port}/channels/twilio/sms",
            data=urlencode(form).encode(),
            headers={"X-Twilio-Signature": twilio_signature(form)},
        )
        with urlopen(request, timeout=10) as response:
            assert response.status == 200

    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)

    queued = [
        i for job in Queue("triage", connection=runtime.dispatcher.connection).jobs for i in job.args[0]
    ]
    with runtime.store.transaction() as session:
        stored = [str(report_id) for report_id in session.scalars(select(Report.id))]
    assert sorted(queued) == sorted(stored)
    assert len(stored) == 5


def wait_for_port(port: int) -> None:
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("gunicorn did not start")


def work_burst(app_config: dict[str, str]) -> None:
    """A worker process of its own, as `flask worker` would run, killed by the test."""
    app = create_app(app_config, start_worker=False)
    burst(runtime_of(app))


def burst(runtime: Runtime) -> None:
    """Drain the queues as `flask worker --burst` does, in this process."""
    Worker(runtime=runtime).work(burst=True)


def wait_until_waiting_on_lock(engine) -> None:
    """Poll from a connection of its own: inside a transaction pg_stat_activity is a snapshot."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    for _ in range(200):
        with engine.connect() as connection:
            if connection.execute(query).scalar():
                return
        time.sleep(0.05)
    raise AssertionError("the worker never reached the audit chain's lock")
