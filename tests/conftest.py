"""Fixtures: the app on SQLite with the in-process worker, and on real PostgreSQL with real
Redis and RQ; signed gateway requests; local HTTP servers standing in for gateway APIs."""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jsonschema
import pyotp
import pytest
import time_machine
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from flask import Flask
from flask.testing import FlaskClient
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from redis import Redis
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server
from werkzeug.test import TestResponse
from werkzeug.wrappers import Request

import triage
from app import create_app
from app.api.openapi import SCHEMAS, document
from app.context import runtime_of
from storage import Base, Case, Panel, Report, Reporter, User
from storage.accounts import create_user, issue_api_token, set_totp_secret
from storage.crypto import KeyFile
from storage.migrations import upgrade
from storage.reporting.summaries import refresh_summaries
from workers.dispatch import InProcessDispatcher, RedisDispatcher
from workers.runtime import Runtime, bound
from workers.worker import Worker

REQUIRE_SERVICES = os.environ.get("SAUTI_REQUIRE_SERVICES") == "1"
POSTGRES_URL = os.environ.get("SAUTI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SHARED_REDIS_URL = os.environ.get("SAUTI_TEST_REDIS_URL")
TWILIO_TOKEN = "test-twilio-auth-token"
AT_SECRET = "test-africastalking-secret"
TEST_NUMBER = "+254712345678"
# A Monday morning in Nairobi, where tests of SLA clocks stop the clock.
SLA_START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


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
    except Exception as error:
        admin.dispose()
        service_missing(f"PostgreSQL is not reachable at {POSTGRES_URL}: {type(error).__name__}")
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Redis server of this test run's own, on a unix socket: two runs on one machine never
    flush each other's queues. SAUTI_TEST_REDIS_URL names a shared server to use instead."""
    if SHARED_REDIS_URL:
        yield SHARED_REDIS_URL
        return
    if shutil.which("redis-server") is None:
        service_missing("redis-server is not installed")
    folder = tmp_path_factory.mktemp("redis")
    socket_path = folder / "redis.sock"
    server = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(socket_path), "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    url = f"unix://{socket_path}?db=0"
    try:
        wait_for_redis(url)
        yield url
    finally:
        server.terminate()
        server.wait()


def wait_for_redis(url: str) -> None:
    connection = Redis.from_url(url, socket_connect_timeout=1)
    for _ in range(200):
        with suppress(Exception):
            connection.ping()
            return
        time.sleep(0.05)
    service_missing(f"Redis is not reachable at {url}")


@pytest.fixture
def redis_url(redis_server: str) -> Iterator[str]:
    connection = Redis.from_url(redis_server, socket_connect_timeout=1)
    try:
        connection.ping()
    except Exception as error:
        service_missing(f"Redis is not reachable at {redis_server}: {type(error).__name__}")
    connection.flushdb()
    yield redis_server
    connection.flushdb()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def stack(request: pytest.FixtureRequest) -> str:
    """Every storage test runs twice: SQLite with the in-process worker, and PostgreSQL with
    Redis and RQ."""
    return str(request.param)


@pytest.fixture
def app_config(
    stack: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    twilio_api: GatewayStandIn,
    africastalking_api: GatewayStandIn,
    media_shelf: MediaShelf,
) -> dict[str, str]:
    config = {
        "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
        "TWILIO_SMS_FROM": "+254700000001",
        "TWILIO_WHATSAPP_FROM": "whatsapp:+254700000002",
        "TWILIO_API_BASE_URL": twilio_api.url,
        "TWILIO_MEDIA_HOSTS": media_shelf.hosts,
        "AT_USERNAME": "sauti-test",
        "AT_API_KEY": "test-at-api-key",
        "AT_API_BASE_URL": africastalking_api.url,
        "SAUTI_INSTANCE_PATH": str(tmp_path / "instance"),
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "AT_WEBHOOK_SECRET": AT_SECRET,
        "SAUTI_SWEEP_GRACE_SECONDS": "0",
        "SAUTI_PEPPER": "test-pepper",
        "SECRET_KEY": "test-secret-key-" + secrets.token_hex(16),
        "SAUTI_MASTER_KEYS_FILE": str(master_key_file(tmp_path / "instance")),
        "REDIS_URL": "",
        "PUBLIC_BASE_URL": "",
    }
    if stack == "postgresql":
        database = request.getfixturevalue("postgres_database")
        config |= {"DATABASE_URL": database, "REDIS_URL": request.getfixturevalue("redis_url")}
    else:
        config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'sauti.db'}"
    return config


def master_key_file(instance: Path) -> Path:
    """A key ring written before the app starts, as an operator provides one in production."""
    path = instance / "master-keys.json"
    KeyFile(path).load_or_create()
    return path


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
        runtime_of(app).store.dispose()


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


def empty_tables(runtime: Runtime) -> None:
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with runtime.store.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def runtime(app: Flask) -> Iterator[Runtime]:
    """The app's runtime, bound for what the test itself calls (jobs, storage) as a worker or
    a request of the app would be."""
    with bound(runtime_of(app)) as runtime:
        yield runtime


class OpenAPICheckedClient(FlaskClient):
    """A test client that checks every answer under /api/v1 against the OpenAPI document the
    app serves: its status, content type and body must be what the document says."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        response = super().open(*args, **kwargs)
        if response.request.path.startswith("/api/v1/") and not response.request.path.endswith(
            "openapi.json"
        ):
            check_against_openapi(response)
        return response


def check_against_openapi(response: TestResponse) -> None:
    sent = response.request
    # The request's body was read by the app; what finds the operation is its method and path.
    request = WerkzeugOpenAPIRequest(
        Request.from_values(
            sent.path, base_url=sent.host_url, query_string=sent.query_string.decode(), method=sent.method
        )
    )
    try:
        openapi_document().validate_response(request, WerkzeugOpenAPIResponse(response))
    except (PathNotFound, OperationNotFound):
        # A path or method the API does not have: still a problem document.
        assert response.status_code in (404, 405), response.status_code
        assert response.mimetype == "application/problem+json"
        jsonschema.validate(response.json, SCHEMAS["Problem"])


@cache
def openapi_document() -> OpenAPI:
    problems = {"application/problem+json": json.loads}
    return OpenAPI.from_dict(document(), config=Config(extra_media_type_deserializers=problems))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = OpenAPICheckedClient
    return app.test_client()


@pytest.fixture
def run_jobs(runtime: Runtime) -> Callable[..., None]:
    """Drain the queues the way the deployment would: an RQ worker on Redis, or the
    in-process worker; under the test's app, or the app whose runtime is given."""

    def drain(of: Runtime = runtime) -> None:
        dispatcher = of.dispatcher
        if isinstance(dispatcher, RedisDispatcher):
            Worker(list(dispatcher.queues.values()), runtime=of).work(burst=True)
        else:
            assert isinstance(dispatcher, InProcessDispatcher)
            dispatcher.run_pending()

    return drain


@pytest.fixture
def send_sms(client: FlaskClient) -> Callable[..., TestResponse]:
    """POST an SMS to the Twilio webhook, signed as Twilio signs it."""

    def send(
        body: str, sender: str = TEST_NUMBER, sid: str | None = None, token: str = TWILIO_TOKEN
    ) -> TestResponse:
        return send_sms_with(client, body, sender, sid, token)

    return send


@pytest.fixture
def send_sms_to() -> Callable[..., TestResponse]:
    return send_sms_with


def send_sms_with(
    client: FlaskClient,
    body: str,
    sender: str = TEST_NUMBER,
    sid: str | None = None,
    token: str = TWILIO_TOKEN,
) -> TestResponse:
    form = twilio_form(body, sender, sid)
    return client.post(
        "/channels/twilio/sms", data=form, headers={"X-Twilio-Signature": twilio_signature(form, token)}
    )


def twilio_form(body: str, sender: str = TEST_NUMBER, sid: str | None = None) -> dict[str, str]:
    return {
        "MessageSid": sid or "SM" + uuid.uuid4().hex,
        "AccountSid": "AC" + "1" * 32,
        "From": sender,
        "To": "+254700000001",
        "Body": body,
        "NumMedia": "0",
    }


def twilio_signature(
    form: dict[str, str], token: str = TWILIO_TOKEN, path: str = "/channels/twilio/sms"
) -> str:
    return RequestValidator(token).compute_signature(f"http://localhost{path}", form)


@pytest.fixture
def dial(client: FlaskClient) -> Callable[..., TestResponse]:
    """One USSD request from Africa's Talking: all inputs of the session so far."""

    def request(inputs: list[str], session_id: str = "ATUid_test", number: str = TEST_NUMBER) -> TestResponse:
        form = {
            "sessionId": session_id,
            "serviceCode": "*384*1#",
            "phoneNumber": number,
            "networkCode": "63902",
            "text": "*".join(inputs),
        }
        return client.post(f"/channels/ussd?secret={AT_SECRET}", data=form)

    return request


@dataclass
class GatewayStandIn:
    """A local HTTP server answering as Twilio's or Africa's Talking's REST API would."""

    url: str
    requests: list[dict[str, object]] = field(default_factory=list)


def serve_gateway(
    answer: Callable[[str, dict[str, list[str]]], tuple[int, dict[str, object]]],
    shelf: MediaShelf | None = None,
) -> Iterator[GatewayStandIn]:
    """The gateway's REST API; with a media shelf, also its media: each MediaUrl redirects to
    the shelf's CDN, and a file is deleted on request."""
    stand_in = GatewayStandIn(url="")

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            assert shelf is not None, "this stand-in keeps no media"
            shelf.redirect_to_cdn(self)

        def do_DELETE(self) -> None:
            assert shelf is not None, "this stand-in keeps no media"
            shelf.delete(self)

        def do_POST(self) -> None:
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

    with serving(Handler) as url:
        stand_in.url = url
        if shelf is not None:
            shelf.api_url = url
        yield stand_in


class QuietHandler(BaseHTTPRequestHandler):
    """The request handler of a stand-in server started by a test."""

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not logged: the stand-in records what its test checks."""


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve with `handler` on a free loopback port, on a thread, for the length of a block."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def twilio_answer(path: str, form: dict[str, list[str]]) -> tuple[int, dict[str, object]]:
    sid = "SM" + uuid.uuid4().hex
    return 201, {
        "sid": sid,
        "status": "queued",
        "to": form["To"][0],
        "from": form["From"][0],
        "body": form["Body"][0],
    }


def africastalking_answer(path: str, form: dict[str, list[str]]) -> tuple[int, dict[str, object]]:
    recipient = {
        "statusCode": 101,
        "number": form["to"][0],
        "status": "Success",
        "messageId": "ATXid_" + uuid.uuid4().hex,
    }
    return 201, {"SMSMessageData": {"Message": "Sent to 1/1", "Recipients": [recipient]}}


@pytest.fixture
def twilio_api(media_shelf: MediaShelf) -> Iterator[GatewayStandIn]:
    yield from serve_gateway(twilio_answer, media_shelf)


@pytest.fixture
def africastalking_api() -> Iterator[GatewayStandIn]:
    yield from serve_gateway(africastalking_answer)


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test's app on 127.0.0.1, on its own thread, for the browser to talk to."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@dataclass
class MailServer:
    """A real SMTP server on loopback that keeps every message it accepts."""

    url: str
    received: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:  # noqa: N802
        self.received.append(message_from_bytes(envelope.content or b"", policy=default_policy))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    port = free_port()
    server = MailServer(url=f"smtp://127.0.0.1:{port}")
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    yield server
    controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


CASEBOOK_WARDS = ("Airbase", "California", "Eastleigh North", "Eastleigh South", "Pumwani", None)
CASEBOOK_CATEGORIES = ("arrest_detention", "extortion_harassment", "violence_abuse", "feedback", "killing")


@dataclass(frozen=True)
class CaseRow:
    """One generated case, as plain values for a straightforward Python computation."""

    panel: str
    category: str
    urgency: str
    ward: str | None
    reporter: int
    received_at: datetime
    acknowledge_due_at: datetime
    resolve_due_at: datetime
    acknowledged_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    overdue: bool
    escalation_level: int
    rating: int | None


@pytest.fixture
def casebook(runtime: Runtime) -> list[CaseRow]:
    """About 160 triaged cases from January to April 2026 with varied, seeded timings, written
    straight to the database (no message text: metrics never read it)."""
    rng = random.Random(5)
    rows = [_casebook_row(rng, runtime) for _ in range(160)]
    with runtime.store.transaction() as session:
        panels = {p.key: p for p in session.scalars(select(Panel))}
        reporters = [Reporter(pseudonym=f"casebook-{n}") for n in range(25)]
        session.add_all(reporters)
        for number, row in enumerate(rows):
            report = Report(
                ref=f"CB{number:05d}",
                reporter=reporters[row.reporter],
                channel="twilio_sms",
                status="triaged",
                received_at=row.received_at,
                category=row.category,
                urgency=row.urgency,
                ward=row.ward,
                language="en",
                rating=row.rating,
            )
            session.add(_casebook_case(row, report, panels[row.panel]))
    with runtime.store.transaction() as session:
        refresh_summaries(session, datetime.now(UTC))
    return rows


def _casebook_case(row: CaseRow, report: Report, panel: Panel) -> Case:
    return Case(
        report=report,
        panel=panel,
        opened_at=row.received_at,
        acknowledge_due_at=row.acknowledge_due_at,
        resolve_due_at=row.resolve_due_at,
        acknowledged_at=row.acknowledged_at,
        first_response_at=row.first_response_at,
        resolved_at=row.resolved_at,
        overdue=row.overdue,
        escalation_level=row.escalation_level,
        status="resolved" if row.resolved_at else "open",
    )


def _casebook_row(rng: random.Random, runtime: Runtime) -> CaseRow:
    received = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(118 * 86400))
    urgency = rng.choice(("critical", "high", "normal", "normal", "low"))
    ack_due, resolve_due = triage.due_at(urgency, received, runtime.sla)
    acknowledged = received + timedelta(minutes=rng.randrange(5, 3000)) if rng.random() < 0.85 else None
    responded = None
    if acknowledged and rng.random() < 0.8:
        responded = acknowledged + timedelta(hours=rng.randrange(1, 200))
    resolved = None
    if responded and rng.random() < 0.7:
        resolved = responded + timedelta(hours=rng.randrange(1, 400))
    late = acknowledged is None or acknowledged > ack_due
    return CaseRow(
        panel=rng.choice([p.key for p in runtime.routing.panels]),
        category=rng.choice(CASEBOOK_CATEGORIES),
        urgency=urgency,
        ward=rng.choice(CASEBOOK_WARDS),
        reporter=rng.randrange(25),
        received_at=received,
        acknowledge_due_at=ack_due,
        resolve_due_at=resolve_due,
        acknowledged_at=acknowledged,
        first_response_at=responded,
        resolved_at=resolved,
        overdue=late,
        escalation_level=rng.choice((0, 0, 1, 2)) if late else 0,
        rating=rng.choice((None, None, 1, 3, 4, 5)) if responded else None,
    )


@dataclass
class StaffAccount:
    """A person who works in Sauti, with what they need to sign in."""

    id: int
    email: str
    password: str
    totp_secret: str
    last_step: int = -1

    def next_code(self) -> str:
        """A code the server accepts: the current one, or the next if the current was used."""
        totp = pyotp.TOTP(self.totp_secret)
        self.last_step = max(totp.timecode(datetime.now(UTC)), self.last_step + 1)
        return totp.generate_otp(self.last_step)


@pytest.fixture
def make_user(runtime: Runtime) -> Callable[..., StaffAccount]:
    """An account with an authenticator already enrolled, on the given panels."""

    def make(
        role: str = "panel_member",
        panels: tuple[str, ...] = ("police-accountability",),
        email: str | None = None,
    ) -> StaffAccount:
        email = email or f"{role}-{secrets.token_hex(3)}@sauti.test"
        password = secrets.token_urlsafe(12)
        totp_secret = pyotp.random_base32()
        with runtime.store.transaction() as session:
            members_of = list(session.scalars(select(Panel).where(Panel.key.in_(panels))))
            user = create_user(session, email, role, password, members_of)
            set_totp_secret(user, runtime.store.keys, totp_secret)
            user.totp_enabled_at = datetime.now(UTC)
        return StaffAccount(user.id, email, password, totp_secret)

    return make


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token_of(page: str) -> str:
    match = CSRF_FIELD.search(page)
    assert match, "the page has no CSRF token"
    return match.group(1)


class AuthActions:
    """Signing in and posting forms the way a browser does, CSRF token included."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def sign_in(self, account: StaffAccount, code: str | None = None) -> TestResponse:
        self.password(account.email, account.password)
        return self.post("/sign-in/code", {"code": code or account.next_code()})

    def password(self, email: str, password: str) -> TestResponse:
        return self.post("/sign-in", {"email": email, "password": password})

    def post(self, path: str, data: dict[str, str], page: str | None = None) -> TestResponse:
        token = csrf_token_of(self.client.get(page or path).get_data(as_text=True))
        return self.client.post(path, data={**data, "csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


def in_kiswahili(runtime: Runtime, account: StaffAccount) -> StaffAccount:
    """The account with Kiswahili as the language its pages speak."""
    with runtime.store.transaction() as session:
        session.get_one(User, account.id).language = "sw"
    return account


@pytest.fixture
def admin_in_kiswahili(
    make_user: Callable[..., StaffAccount], auth: AuthActions, runtime: Runtime
) -> AuthActions:
    auth.sign_in(in_kiswahili(runtime, make_user("admin", ())))
    return auth


@pytest.fixture
def lead_in_kiswahili(
    make_user: Callable[..., StaffAccount], auth: AuthActions, runtime: Runtime
) -> StaffAccount:
    account = in_kiswahili(runtime, make_user("panel_lead"))
    auth.sign_in(account)
    return account


@pytest.fixture
def auditor_in_kiswahili(
    make_user: Callable[..., StaffAccount], auth: AuthActions, runtime: Runtime
) -> AuthActions:
    auth.sign_in(in_kiswahili(runtime, make_user("auditor", ())))
    return auth


@pytest.fixture
def api_token(runtime: Runtime) -> Callable[[StaffAccount], str]:
    def issue(account: StaffAccount) -> str:
        with runtime.store.transaction() as session:
            return issue_api_token(session.get_one(User, account.id))

    return issue


@pytest.fixture
def reported_case(
    send_sms: Callable[..., TestResponse], run_jobs: Callable[[], None]
) -> Callable[[str], str]:
    """Text a report in through the signed webhook, triage it, and return its reference."""

    def report(body: str = "Askari wa Kamukunji wanaitisha hongo kila siku sokoni Gikomba") -> str:
        match = re.search(r"\b([2-9A-Z]{3}-[2-9A-Z]{3})\b", send_sms(body).get_data(as_text=True))
        assert match, "the webhook answered without a reference"
        run_jobs()
        return match.group(1)

    return report


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """The clock stopped at SLA_START; a test moves it on with `clock.shift(...)`."""
    with time_machine.travel(SLA_START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def early_in_the_hour() -> Iterator[None]:
    """The clock five seconds past a whole hour, and moving: counts kept per minute or per hour
    never start again in the middle of a test."""
    start = datetime.now(UTC).replace(minute=0, second=5, microsecond=0)
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture
def answered_by_panel(
    runtime: Runtime,
    run_jobs: Callable[[], None],
    make_user: Callable[..., StaffAccount],
    api_token: Callable[[StaffAccount], str],
    client: FlaskClient,
) -> Callable[..., None]:
    """Triage the report, then have a member of its panel reply to it through the API."""

    def answer(ref: str, text: str = "We spoke to the station commander. He will be released today.") -> None:
        run_jobs()
        with runtime.store.transaction() as session:
            on_case = select(Panel.key).join(Case, Case.panel_id == Panel.id).join(Report)
            panel = session.scalars(on_case.where(Report.ref == ref)).one()
        token = api_token(make_user("panel_member", (panel,)))
        response = client.post(
            f"/api/v1/cases/{ref}/actions",
            json={"action": "reply", "text": text},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.json
        run_jobs()

    return answer


@pytest.fixture
def text_africastalking(
    client: FlaskClient, run_jobs: Callable[[], None], africastalking_api: GatewayStandIn
) -> Callable[..., str]:
    """POST an SMS to the Africa's Talking webhook, send what it queued, and return the last
    SMS Africa's Talking was asked to send."""

    def send(body: str, sender: str = TEST_NUMBER) -> str:
        form = {"from": sender, "to": "22384", "text": body, "id": "ATXin_" + uuid.uuid4().hex, "linkId": ""}
        response = client.post(f"/channels/africastalking/sms?secret={AT_SECRET}", data=form)
        assert response.status_code == 200
        run_jobs()
        return str(africastalking_api.requests[-1]["form"]["message"][0])  # type: ignore[index]

    return send


TWILIO_ACCOUNT = "AC" + "1" * 32
MEDIA_PATH = re.compile(r"/2010-04-01/Accounts/(AC\w+)/Messages/(\w+)/Media/(ME\w+?)(\.json)?")


@dataclass
class MediaFile:
    """A file Twilio keeps for a message, as the stand-ins serve it."""

    content: bytes
    content_type: str
    failing: bool = False
    declares_length: bool = True


@dataclass
class MediaShelf:
    """Media Twilio keeps, served by local stand-ins for its REST API (each MediaUrl answers
    307 to the CDN; DELETE removes the file) and for its media CDN (the bytes). `requests`
    records every media request either saw: (server, method, path, Authorization header)."""

    files: dict[str, MediaFile] = field(default_factory=dict)
    requests: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    # How many DELETE requests to answer 503 before deleting as asked.
    failing_deletes: int = 0
    api_url: str = ""
    cdn_url: str = ""

    @property
    def hosts(self) -> str:
        """TWILIO_MEDIA_HOSTS for the two stand-ins."""
        return ",".join(url.removeprefix("http://") for url in (self.api_url, self.cdn_url))

    def media_url(self, message_sid: str, file: MediaFile) -> str:
        media_sid = "ME" + uuid.uuid4().hex
        self.files[media_sid] = file
        return f"{self.api_url}/2010-04-01/Accounts/{TWILIO_ACCOUNT}/Messages/{message_sid}/Media/{media_sid}"

    def redirect_to_cdn(self, request: BaseHTTPRequestHandler) -> None:
        self._record("api", request)
        match = MEDIA_PATH.fullmatch(request.path)
        file = self.files.get(match.group(3)) if match else None
        if file is None or file.failing:
            request.send_response(404 if file is None else 500)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        request.send_response(307)
        request.send_header(
            "Location", f"{self.cdn_url}/{TWILIO_ACCOUNT}/{match.group(3)}?Signature=cdn-test"
        )
        request.send_header("Content-Length", "0")
        request.end_headers()

    def serve_bytes(self, request: BaseHTTPRequestHandler) -> None:
        self._record("cdn", request)
        file = self.files.get(request.path.split("?")[0].rsplit("/", 1)[-1])
        if file is None:
            request.send_response(404)
            request.end_headers()
            return
        request.send_response(200)
        request.send_header("Content-Type", file.content_type)
        if file.declares_length:
            request.send_header("Content-Length", str(len(file.content)))
        request.end_headers()
        with suppress(BrokenPipeError, ConnectionResetError):
            for start in range(0, len(file.content), 256 * 1024):
                request.wfile.write(file.content[start : start + 256 * 1024])

    def delete(self, request: BaseHTTPRequestHandler) -> None:
        self._record("api", request)
        match = MEDIA_PATH.fullmatch(request.path)
        if self.failing_deletes:
            self.failing_deletes -= 1
            request.send_response(503)
        elif match and self.files.pop(match.group(3), None) is not None:
            self.deleted.append(match.group(3))
            request.send_response(204)
        else:
            request.send_response(404)
        request.send_header("Content-Length", "0")
        request.end_headers()

    def fetched(self, server: str | None = None) -> list[str]:
        """Paths requested with GET, from either stand-in or from the one named."""
        return [path for name, method, path, _ in self.requests if method == "GET" and server in (None, name)]

    def _record(self, server: str, request: BaseHTTPRequestHandler) -> None:
        self.requests.append((server, request.command, request.path, request.headers.get("Authorization")))


@pytest.fixture
def media_shelf() -> Iterator[MediaShelf]:
    shelf = MediaShelf()

    class CdnHandler(QuietHandler):
        def do_GET(self) -> None:
            shelf.serve_bytes(self)

    with serving(CdnHandler) as url:
        shelf.cdn_url = url
        yield shelf


@pytest.fixture
def send_media(client: FlaskClient, media_shelf: MediaShelf) -> Callable[..., TestResponse]:
    """Send files kept on the media shelf, as Twilio delivers an MMS or WhatsApp message: the
    form carries NumMedia, MediaUrl<n> and MediaContentType<n>, and is signed."""

    def send(*files: MediaFile, body: str = "", sender: str = TEST_NUMBER) -> TestResponse:
        sid = "MM" + uuid.uuid4().hex
        items = [(media_shelf.media_url(sid, file), file.content_type) for file in files]
        return send_mms_with(client, body, items, sender, sid)

    return send


def send_mms_with(
    client: FlaskClient,
    body: str,
    items: list[tuple[str, str]],
    sender: str = TEST_NUMBER,
    sid: str | None = None,
) -> TestResponse:
    form = twilio_form(body, sender, sid) | {"NumMedia": str(len(items))}
    for position, (url, content_type) in enumerate(items):
        form |= {f"MediaUrl{position}": url, f"MediaContentType{position}": content_type}
    return client.post(
        "/channels/twilio/sms", data=form, headers={"X-Twilio-Signature": twilio_signature(form)}
    )


@pytest.fixture
def reported_media(
    send_media: Callable[..., TestResponse], run_jobs: Callable[[], None]
) -> Callable[..., str]:
    """Send files (and words, if given) through the signed webhook, let the workers fetch and
    triage them, and return the report's reference."""

    def report(*files: MediaFile, body: str = "") -> str:
        match = re.search(
            r"\b([2-9A-Z]{3}-[2-9A-Z]{3})\b", send_media(*files, body=body).get_data(as_text=True)
        )
        assert match, "the webhook answered without a reference"
        run_jobs()
        return match.group(1)

    return report


@pytest.fixture
def own_redis(
    tmp_path: Path,
) -> Iterator[tuple[str, list[subprocess.Popen[bytes]], Callable[[], subprocess.Popen[bytes]]]]:
    """A Redis server of this test's own on a unix socket, so stopping it disturbs no other test
    and no port is raced for: its URL, the servers started on it so far, and a function that
    starts it again."""
    socket_path = tmp_path / "redis.sock"
    command = ["redis-server", "--port", "0", "--unixsocket", str(socket_path), "--save", ""]
    command += ["--appendonly", "no", "--dir", str(tmp_path)]
    url = f"unix://{socket_path}?db=0"

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_for_redis(url)
        return process

    servers = [start()]
    yield url, servers, start
    for server in servers:
        server.terminate()
        server.wait()


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Any]:
    """Gunicorn and `flask worker` processes started by the test, stopped at its end."""
    from tests.processes import Processes

    started = Processes(tmp_path)
    yield started
    started.stop()
