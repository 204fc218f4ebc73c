"""A PostgreSQL that accepts connections and never answers (hung, or behind a stalled network)
is told apart in seconds: webhooks are answered 503 well inside the 15 s a gateway waits, so it
retries, and a report written after all is found again by the retry, never stored twice;
/readyz says not ready within a few seconds."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import make_url
from werkzeug.test import TestResponse

from storage import Message, Report
from tests.fixtures.webhooks import twilio_form, twilio_signature
from tests.helpers import reference_in
from tests.processes import TcpProxy
from workers.runtime import Runtime

pytestmark = [pytest.mark.services, pytest.mark.parametrize("stack", ["postgresql"], indirect=True)]
# What a gateway waits for an answer (Twilio: 15 s), less a margin for the network; what a
# load balancer's probe waits.
GATEWAY_PATIENCE_SECONDS = 12
PROBE_PATIENCE_SECONDS = 5


@pytest.fixture
def app_behind_proxy(make_app, runtime: Runtime, database_proxy: TcpProxy) -> Flask:
    """The app reaching the test's database through the proxy; `runtime` reaches it directly."""
    url = make_url(runtime.settings.database_url).set(host="127.0.0.1", port=database_proxy.port)
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
    app_behind_proxy, runtime, database_proxy
):
    assert deliver(app_behind_proxy, twilio_form("Habari, nataka kuripoti")).status_code == 200
    forms = [twilio_form(f"Polisi wamemchukua kijana sasa hivi Pumwani ({n})") for n in range(3)]

    with ThreadPoolExecutor(max_workers=len(forms)) as pool, database_proxy.stalled():
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


def test_readyz_says_not_ready_within_seconds(app_behind_proxy, database_proxy):
    client = app_behind_proxy.test_client()
    assert client.get("/readyz").status_code == 200

    with ThreadPoolExecutor(max_workers=1) as pool, database_proxy.stalled():
        response = pool.submit(client.get, "/readyz").result(timeout=PROBE_PATIENCE_SECONDS)

    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] is False
