"""A PostgreSQL that accepts connections and never answers (hung, or behind a stalled network)
is told apart in seconds: webhooks are answered 503 well inside the 15 s a gateway waits, so it
retries, and a report written after all is found again by the retry, never stored twice;
/readyz says not ready within a few seconds."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import make_url
from werkzeug.test import TestResponse

from storage import Message, Report
from tests.fixtures.webhooks import twilio_form, twilio_signature
from tests.helpers import reference_in
from workers.runtime import Runtime

pytestmark = [pytest.mark.services, pytest.mark.parametrize("stack", ["postgresql"], indirect=True)]
# What a gateway waits for an answer (Twilio: 15 s), less a margin for the network; what a
# load balancer's probe waits.
GATEWAY_PATIENCE_SECONDS = 12
PROBE_PATIENCE_SECONDS = 5


class StallingProxy:
    """A TCP proxy in front of PostgreSQL that can stall: it keeps every connection open and
    accepts new ones, but forwards nothing until it resumes, as a hung server looks from the
    client's side. What it held back is forwarded when it resumes."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.flowing = threading.Event()
        self.flowing.set()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        threading.Thread(target=self._accept, daemon=True).start()

    @contextmanager
    def stalled(self) -> Iterator[None]:
        self.flowing.clear()
        try:
            yield
        finally:
            self.flowing.set()

    def close(self) -> None:
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while chunk := source.recv(65536):
                self.flowing.wait()
                sink.sendall(chunk)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@pytest.fixture
def proxy(app_config: dict[str, str]) -> Iterator[StallingProxy]:
    database = make_url(app_config["DATABASE_URL"])
    stalling = StallingProxy((database.host or "127.0.0.1", database.port or 5432))
    yield stalling
    stalling.close()


@pytest.fixture
def app_behind_proxy(make_app, runtime: Runtime, proxy: StallingProxy) -> Flask:
    """The app reaching the test's database through the proxy; `runtime` reaches it directly."""
    url = make_url(runtime.settings.database_url).set(host="127.0.0.1", port=proxy.port)
    return make_app(DATABASE_URL=url.render_as_string(hide_password=False))


def deliver(app: Flask, form: dict[str, str]) -> TestResponse:
    """A signed Twilio webhook, and its answer."""
    return app.test_client().post(
        "/channels/twilio/sms", data=form, headers={"X-Twilio-Signature": twilio_signature(form)}
    )


def stored_refs(runtime: Runtime, sid: str) -> list[str]:
    with runtime.store.transaction() as session:
        query = select(Report.ref).join(Message, Message.report_id == Report.id)
        return list(session.scalars(query.where(Message.external_id == sid)))


def test_webhooks_are_answered_503_in_time_and_their_retries_store_each_report_once(
    app_behind_proxy, runtime, proxy
):
    assert deliver(app_behind_proxy, twilio_form("Habari, nataka kuripoti")).status_code == 200
    forms = [twilio_form(f"Polisi wamemchukua kijana sasa hivi Pumwani ({n})") for n in range(3)]

    with ThreadPoolExecutor(max_workers=len(forms)) as pool, proxy.stalled():
        answers = []
        for form in forms:
            answers.append(pool.submit(deliver, app_behind_proxy, form))
            time.sleep(1)
        # Each answer is waited for as long as the gateway would wait, no longer.
        answered = [answer.result(timeout=GATEWAY_PATIENCE_SECONDS) for answer in answers]
    retried = [deliver(app_behind_proxy, form) for form in forms]

    assert [response.status_code for response in answered] == [503] * len(forms)
    assert all(response.headers["Retry-After"] for response in answered)
    assert [response.status_code for response in retried] == [200] * len(forms)
    for form, response in zip(forms, retried, strict=True):
        assert stored_refs(runtime, form["MessageSid"]) == [reference_in(response.get_data(as_text=True))]


def test_readyz_says_not_ready_within_seconds(app_behind_proxy, proxy):
    client = app_behind_proxy.test_client()
    assert client.get("/readyz").status_code == 200

    with ThreadPoolExecutor(max_workers=1) as pool, proxy.stalled():
        response = pool.submit(client.get, "/readyz").result(timeout=PROBE_PATIENCE_SECONDS)

    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] is False
