"""Fixtures: the app on SQLite with the in-process worker, and on real PostgreSQL with real
Redis and RQ; signed gateway requests; local HTTP servers standing in for gateway APIs."""

from __future__ import annotations

import json
import os
import secrets
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq import SimpleWorker
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse

from app import create_app
from storage import Base, Panel
from storage.migrations import upgrade
from workers.dispatch import InProcessDispatcher, RedisDispatcher
from workers.runtime import Runtime

REQUIRE_SERVICES = os.environ.get("SAUTI_REQUIRE_SERVICES") == "1"
POSTGRES_URL = os.environ.get("SAUTI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("SAUTI_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
TWILIO_TOKEN = "test-twilio-auth-token"
AT_SECRET = "test-africastalking-secret"
TEST_NUMBER = "+254712345678"


def service_missing(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (SAUTI_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, migrated to the latest schema."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"sauti_test_{secrets.token_hex(4)}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001
        admin.dispose()
        service_missing(f"PostgreSQL is not reachable at {POSTGRES_URL}: {type(error).__name__}")
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def redis_url() -> Iterator[str]:
    connection = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except Exception as error:  # noqa: BLE001
        service_missing(f"Redis is not reachable at {REDIS_URL}: {type(error).__name__}")
    connection.flushdb()
    yield REDIS_URL
    connection.flushdb()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def stack(request: pytest.FixtureRequest) -> str:
    """Every storage test runs twice: SQLite with the in-process worker, and PostgreSQL with
    Redis and RQ."""
    return str(request.param)


@pytest.fixture
def app_config(
    stack: str, tmp_path: Path, request: pytest.FixtureRequest, twilio_api: GatewayStandIn, africastalking_api: GatewayStandIn
) -> dict[str, str]:
    config = {
        "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
        "TWILIO_SMS_FROM": "+254700000001",
        "TWILIO_WHATSAPP_FROM": "whatsapp:+254700000002",
        "TWILIO_API_BASE_URL": twilio_api.url,
        "AT_USERNAME": "sauti-test",
        "AT_API_KEY": "test-at-api-key",
        "AT_API_BASE_URL": africastalking_api.url,
        "SAUTI_INSTANCE_PATH": str(tmp_path / "instance"),
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "AT_WEBHOOK_SECRET": AT_SECRET,
        "SAUTI_SWEEP_GRACE_SECONDS": "0",
        "SAUTI_PEPPER": "test-pepper",
        "REDIS_URL": "",
        "PUBLIC_BASE_URL": "",
    }
    if stack == "postgresql":
        database = request.getfixturevalue("postgres_database")
        config |= {"DATABASE_URL": database, "REDIS_URL": request.getfixturevalue("redis_url")}
    else:
        config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'sauti.db'}"
    return config


@pytest.fixture
def make_app(app_config: dict[str, str]) -> Iterator[Callable[..., Flask]]:
    """Build an app on this test's database, with extra settings if a test needs them."""
    made: list[Flask] = []

    def make(**overrides: str) -> Flask:
        app = create_app(app_config | overrides, start_worker=False)
        runtime = runtime_of(app)
        if not made:
            prepare_database(runtime, app_config["DATABASE_URL"])
        made.append(app)
        return app

    yield make
    for app in made:
        runtime_of(app).dispatcher.close()
        runtime_of(app).store.engine.dispose()


def prepare_database(runtime: Runtime, url: str) -> None:
    if runtime.store.engine.dialect.name == "sqlite":
        upgrade(url)
    else:
        empty_tables(runtime)
    with runtime.store.transaction() as session:
        for panel in runtime.routing.panels:
            session.add(Panel(key=panel.key, name=panel.name_en, name_sw=panel.name_sw))


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


def runtime_of(app: Flask) -> Runtime:
    runtime: Runtime = app.extensions["sauti"]
    return runtime


def empty_tables(runtime: Runtime) -> None:
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with runtime.store.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def runtime(app: Flask) -> Runtime:
    return runtime_of(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def run_jobs(runtime: Runtime) -> Callable[[], None]:
    """Drain the queues the way the deployment would: an RQ worker on Redis, or the
    in-process worker."""

    def drain() -> None:
        dispatcher = runtime.dispatcher
        if isinstance(dispatcher, RedisDispatcher):
            queues = list(dispatcher.queues.values())
            SimpleWorker(queues, connection=dispatcher.connection).work(burst=True)
        else:
            assert isinstance(dispatcher, InProcessDispatcher)
            dispatcher.run_pending()

    return drain


@pytest.fixture
def send_sms(client: FlaskClient) -> Callable[..., TestResponse]:
    """POST an SMS to the Twilio webhook, signed as Twilio signs it."""

    def send(body: str, sender: str = TEST_NUMBER, sid: str | None = None, token: str = TWILIO_TOKEN) -> TestResponse:
        return send_sms_with(client, body, sender, sid, token)

    return send


@pytest.fixture
def send_sms_to() -> Callable[..., TestResponse]:
    return send_sms_with


def send_sms_with(
    client: FlaskClient, body: str, sender: str = TEST_NUMBER, sid: str | None = None, token: str = TWILIO_TOKEN
) -> TestResponse:
    form = twilio_form(body, sender, sid)
    return client.post("/channels/twilio/sms", data=form, headers={"X-Twilio-Signature": twilio_signature(form, token)})


def twilio_form(body: str, sender: str = TEST_NUMBER, sid: str | None = None) -> dict[str, str]:
    return {
        "MessageSid": sid or "SM" + uuid.uuid4().hex,
        "AccountSid": "AC" + "1" * 32,
        "From": sender,
        "To": "+254700000001",
        "Body": body,
        "NumMedia": "0",
    }


def twilio_signature(form: dict[str, str], token: str = TWILIO_TOKEN, path: str = "/channels/twilio/sms") -> str:
    return RequestValidator(token).compute_signature(f"http://localhost{path}", form)


@pytest.fixture
def dial(client: FlaskClient) -> Callable[..., TestResponse]:
    """One USSD request from Africa's Talking: all inputs of the session so far."""

    def request(inputs: list[str], session_id: str = "ATUid_test", number: str = TEST_NUMBER) -> TestResponse:
        form = {"sessionId": session_id, "serviceCode": "*384*1#", "phoneNumber": number, "networkCode": "63902", "text": "*".join(inputs)}
        return client.post(f"/channels/ussd?secret={AT_SECRET}", data=form)

    return request


@dataclass
class GatewayStandIn:
    """A local HTTP server answering as Twilio's or Africa's Talking's REST API would."""

    url: str
    requests: list[dict[str, object]] = field(default_factory=list)


def serve_gateway(answer: Callable[[str, dict[str, list[str]]], tuple[int, dict[str, object]]]) -> Iterator[GatewayStandIn]:
    stand_in = GatewayStandIn(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            form = parse_qs(self.rfile.read(length).decode())
            stand_in.requests.append({"path": self.path, "form": form, "headers": dict(self.headers)})
            status, payload = answer(self.path, form)
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    stand_in.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield stand_in
    server.shutdown()


def twilio_answer(path: str, form: dict[str, list[str]]) -> tuple[int, dict[str, object]]:
    sid = "SM" + uuid.uuid4().hex
    return 201, {"sid": sid, "status": "queued", "to": form["To"][0], "from": form["From"][0], "body": form["Body"][0]}


def africastalking_answer(path: str, form: dict[str, list[str]]) -> tuple[int, dict[str, object]]:
    recipient = {"statusCode": 101, "number": form["to"][0], "status": "Success", "messageId": "ATXid_" + uuid.uuid4().hex}
    return 201, {"SMSMessageData": {"Message": "Sent to 1/1", "Recipients": [recipient]}}


@pytest.fixture
def twilio_api() -> Iterator[GatewayStandIn]:
    yield from serve_gateway(twilio_answer)


@pytest.fixture
def africastalking_api() -> Iterator[GatewayStandIn]:
    yield from serve_gateway(africastalking_answer)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
