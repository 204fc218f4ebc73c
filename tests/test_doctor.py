"""`flask doctor` says what is wrong with an installation and what to do about it, and exits
non-zero when something will fail."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest
from redis import Redis
from rq import Worker

from app.context import runtime_of
from app.doctor import OK, PROBLEM, WARNING, diagnose
from storage.migrations import head_revisions
from tests.fixtures.stand_ins import free_port
from workers.dispatch import QUEUES
from workers.runtime import bound

HEALTHY = {"PUBLIC_BASE_URL": "https://sauti.example.org"}
PRODUCTION = HEALTHY | {"SAUTI_ENV": "production"}


def findings(app):
    with bound(runtime_of(app)) as runtime:
        return diagnose(runtime)


def at(level: str, area: str, found) -> list[str]:
    return [f"{f.message} -> {f.advice}" for f in found if f.level == level and f.area == area]


def doctor(app):
    return app.test_cli_runner().invoke(args=["doctor"])


@contextmanager
def worker_on(redis_url: str, queues: Iterable[str] = QUEUES) -> Iterator[Worker]:
    """An RQ worker registered on `queues`, as a running `flask worker` is."""
    worker = Worker(list(queues), connection=Redis.from_url(redis_url))
    worker.register_birth()
    try:
        yield worker
    finally:
        worker.register_death()


@pytest.fixture
def healthy(make_app, app_config):
    """A well-configured installation, its worker running where there is Redis."""
    redis_url = app_config["REDIS_URL"]
    with worker_on(redis_url) if redis_url else nullcontext():
        yield make_app(**HEALTHY)


def test_a_healthy_installation_passes_with_exit_code_zero(healthy):
    result = doctor(healthy)

    assert result.exit_code == 0, result.output
    assert "0 problem(s)" in result.output
    for area in ("config", "database", "redis", "keys", "gateways"):
        assert f"ok       {area}" in result.output


def test_an_unreachable_database_is_a_problem_with_what_to_check(healthy, make_app):
    app = make_app(**HEALTHY, DATABASE_URL=f"postgresql+psycopg://sauti:hunter2@127.0.0.1:{free_port()}/none")

    result = doctor(app)

    assert result.exit_code == 1
    assert "cannot reach" in result.output
    assert "check DATABASE_URL" in result.output
    assert "hunter2" not in result.output


def test_a_database_behind_the_code_is_told_to_upgrade(healthy, make_app, tmp_path):
    app = make_app(**HEALTHY, DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}")

    problems = at(PROBLEM, "database", findings(app))

    (head,) = head_revisions(runtime_of(app).settings.database_url)
    assert problems == [f"at no schema; this code needs {head} -> run: flask --app wsgi db upgrade"]


def test_an_unreachable_redis_is_a_problem(healthy, make_app):
    app = make_app(**HEALTHY, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")

    assert at(PROBLEM, "redis", findings(app))


def test_no_worker_registered_on_the_queues_is_a_problem(make_app, redis_url):
    app = make_app(REDIS_URL=redis_url)

    [problem] = at(PROBLEM, "worker", findings(app))

    assert problem.startswith("no live RQ worker on the queue(s) triage, notify")
    assert "flask --app wsgi worker" in problem


def test_a_registered_worker_is_ok(make_app, redis_url):
    with worker_on(redis_url):
        found = findings(make_app(REDIS_URL=redis_url))

    assert at(OK, "worker", found) == ["1 RQ worker(s) alive on every queue -> "]
    assert not at(PROBLEM, "worker", found)


def test_a_worker_on_other_queues_only_does_not_count(make_app, redis_url):
    with worker_on(redis_url, ["someone-elses"]):
        assert at(PROBLEM, "worker", findings(make_app(REDIS_URL=redis_url)))


def test_production_without_redis_is_a_warning(healthy, make_app):
    app = make_app(**PRODUCTION, REDIS_URL="")

    assert at(WARNING, "redis", findings(app))


def test_records_wrapped_by_a_key_missing_from_the_ring_are_a_problem(healthy, make_app, reported_case):
    reported_case()
    other_ring = "k9:" + base64.urlsafe_b64encode(os.urandom(32)).decode()

    found = findings(make_app(**HEALTHY, SAUTI_MASTER_KEYS=other_ring))

    assert any("which is not in the ring" in p for p in at(PROBLEM, "keys", found))


def test_a_ring_whose_key_does_not_match_the_data_is_caught_by_the_sample(
    healthy, make_app, reported_case, app_config
):
    reported_case()
    key_file = json.loads(Path(app_config["SAUTI_MASTER_KEYS_FILE"]).read_text())
    impostor = f"{key_file['active']}:" + base64.urlsafe_b64encode(os.urandom(32)).decode()

    found = findings(make_app(**HEALTHY, SAUTI_MASTER_KEYS=impostor))

    assert any("sampled cannot be decrypted" in p for p in at(PROBLEM, "keys", found))


def test_a_key_file_whose_active_key_is_missing_is_a_problem(healthy, make_app, tmp_path):
    key_file = tmp_path / "keys.json"
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    key_file.write_text(json.dumps({"active": "kgone", "keys": {"k1": key}}))

    found = findings(make_app(**HEALTHY, SAUTI_MASTER_KEYS_FILE=str(key_file)))

    assert at(PROBLEM, "keys", found) == ["the active key kgone is not in the ring -> fix the key file"]


def test_records_still_under_an_older_key_are_a_warning_to_rotate(
    healthy, make_app, reported_case, app_config
):
    reported_case()
    key_file = json.loads(Path(app_config["SAUTI_MASTER_KEYS_FILE"]).read_text())
    old = f"{key_file['active']}:{key_file['keys'][key_file['active']]}"
    new = "knew:" + base64.urlsafe_b64encode(os.urandom(32)).decode()

    found = findings(make_app(**HEALTHY, SAUTI_MASTER_KEYS=f"{new},{old}"))

    assert any("keys rotate" in w for w in at(WARNING, "keys", found))
    assert at(OK, "keys", found)[-1].startswith("2 recent records sampled, all readable")


def test_production_without_an_https_public_url_is_a_problem(healthy, make_app):
    found = findings(make_app(SAUTI_ENV="production", PUBLIC_BASE_URL="http://sauti.example.org"))

    assert at(PROBLEM, "gateways", found) == [
        "PUBLIC_BASE_URL is http://sauti.example.org -> set PUBLIC_BASE_URL=https://your.host:"
        " gateways must call over https"
    ]


def test_a_twilio_account_without_a_number_to_send_from_is_a_problem(healthy, make_app):
    found = findings(make_app(**HEALTHY, TWILIO_SMS_FROM="", TWILIO_WHATSAPP_FROM=""))

    assert any("no number to send from" in p for p in at(PROBLEM, "gateways", found))


def test_africastalking_half_configured_is_a_problem(healthy, make_app):
    found = findings(make_app(**HEALTHY, AT_API_KEY=""))

    assert any("half configured" in p for p in at(PROBLEM, "gateways", found))


def test_missing_webhook_secrets_in_production_are_warnings(healthy, make_app):
    found = findings(make_app(**PRODUCTION, TWILIO_AUTH_TOKEN="", AT_WEBHOOK_SECRET=""))

    warnings = " ".join(at(WARNING, "gateways", found))
    assert "every Twilio webhook is refused" in warnings
    assert "every Africa's Talking callback" in warnings


def test_a_short_secret_key_in_production_is_a_problem(healthy, make_app):
    found = findings(make_app(**PRODUCTION, SECRET_KEY="changeme"))

    assert any("SECRET_KEY has 8 characters" in p for p in at(PROBLEM, "config", found))


def test_the_command_prints_what_to_do_and_exits_one_on_a_problem(healthy, make_app):
    result = doctor(make_app(**HEALTHY, AT_API_KEY=""))

    assert result.exit_code == 1
    assert "PROBLEM  gateways  Africa's Talking is half configured" in result.output
    assert "-> set both AT_USERNAME and AT_API_KEY" in result.output
