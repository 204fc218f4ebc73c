"""Where more than one host may run (PostgreSQL, or SAUTI_ENV=production) Sauti never makes up
its secrets: the app, the worker and every command refuse to start without SECRET_KEY,
SAUTI_PEPPER and SAUTI_MASTER_KEYS from the environment, and say how to make them."""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import pytest

from app import create_app
from storage.settings import ConfigurationError, Settings
from workers.worker import Worker

SECRETS = ("SECRET_KEY", "SAUTI_PEPPER", "SAUTI_MASTER_KEYS", "SAUTI_MASTER_KEYS_FILE")
POSTGRES = "postgresql+psycopg://sauti@127.0.0.1:1/sauti"
MASTER_KEY = "k1:" + base64.urlsafe_b64encode(bytes(range(32))).decode()
ALL_SECRETS = {"SECRET_KEY": "s" * 40, "SAUTI_PEPPER": "p" * 40, "SAUTI_MASTER_KEYS": MASTER_KEY}


@pytest.fixture
def environment(tmp_path, monkeypatch) -> dict[str, str]:
    """The process environment without any secret, and an empty instance folder."""
    for name in (*SECRETS, "SAUTI_ENV", "DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    return {"SAUTI_INSTANCE_PATH": str(tmp_path / "instance")}


def refusal(environ: dict[str, str]) -> str:
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env(environ)
    return str(refused.value)


def test_on_postgresql_without_secrets_sauti_refuses_and_says_what_to_set_and_how(environment):
    message = refusal(environment | {"DATABASE_URL": POSTGRES})

    for name in ("SECRET_KEY", "SAUTI_PEPPER", "SAUTI_MASTER_KEYS"):
        assert f"  {name}: " in message
    assert "secrets.token_urlsafe(32)" in message
    assert "os.urandom(32)" in message


def test_production_on_sqlite_refuses_too(environment):
    assert "SECRET_KEY" in refusal(environment | {"SAUTI_ENV": "production"})


@pytest.mark.parametrize("missing", ["SECRET_KEY", "SAUTI_PEPPER", "SAUTI_MASTER_KEYS"])
def test_each_missing_secret_is_named_and_only_it(environment, missing):
    given = {name: value for name, value in ALL_SECRETS.items() if name != missing}

    message = refusal(environment | given | {"DATABASE_URL": POSTGRES})

    assert f"  {missing}: " in message
    assert all(f"  {name}: " not in message for name in given)


def test_nothing_is_generated_in_the_instance_folder_of_a_refused_start(environment, tmp_path):
    refusal(environment | {"DATABASE_URL": POSTGRES})

    instance = tmp_path / "instance"
    assert not instance.exists() or not any(instance.iterdir())


def test_a_key_file_that_does_not_exist_is_refused_rather_than_created(environment, tmp_path):
    missing = tmp_path / "keys.json"
    secrets = {"SECRET_KEY": "s" * 40, "SAUTI_PEPPER": "p" * 40, "SAUTI_MASTER_KEYS_FILE": str(missing)}

    message = refusal(environment | secrets | {"DATABASE_URL": POSTGRES})

    assert f"names {missing}, which does not exist" in message
    assert not missing.exists()


def test_a_malformed_master_key_is_refused_with_the_reason(environment):
    secrets = ALL_SECRETS | {"SAUTI_MASTER_KEYS": "k1:c2hvcnQ="}

    assert "must be 32 bytes" in refusal(environment | secrets | {"DATABASE_URL": POSTGRES})


def test_with_every_secret_given_production_starts_and_writes_no_secret(environment, tmp_path):
    settings = Settings.from_env(environment | ALL_SECRETS | {"DATABASE_URL": POSTGRES})

    assert settings.production
    assert settings.secret_key == "s" * 40
    assert not (tmp_path / "instance" / "secrets.json").exists()


def test_unset_webhook_secrets_are_not_made_up_in_production(environment):
    settings = Settings.from_env(environment | ALL_SECRETS | {"DATABASE_URL": POSTGRES})

    assert settings.twilio.auth_token is None
    assert settings.africastalking.webhook_secret is None


def test_in_development_on_sqlite_secrets_are_still_generated_in_the_instance_folder(environment, tmp_path):
    settings = Settings.from_env(environment)

    assert not settings.production
    assert settings.secret_key
    assert (tmp_path / "instance" / "secrets.json").exists()


def test_the_app_refuses_to_start(environment):
    with pytest.raises(ConfigurationError, match="SAUTI_PEPPER"):
        create_app(environment | {"DATABASE_URL": POSTGRES}, start_worker=False)


def test_a_plain_rq_worker_refuses_to_start(environment, monkeypatch):
    for name, value in (
        environment | {"DATABASE_URL": POSTGRES, "REDIS_URL": "redis://127.0.0.1:1/0"}
    ).items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ConfigurationError, match="SAUTI_MASTER_KEYS"):
        Worker()


@pytest.mark.parametrize(
    "command",
    [
        ["-m", "flask", "--app", "wsgi", "worker", "--burst"],
        ["-m", "flask", "--app", "wsgi", "doctor"],
        ["-m", "flask", "--app", "wsgi", "db", "upgrade"],
        ["-c", "import wsgi"],
    ],
    ids=["worker", "doctor", "db-upgrade", "gunicorn-import"],
)
def test_the_worker_every_command_and_gunicorn_refuse_with_the_message(environment, command):
    env = {k: v for k, v in os.environ.items() if k not in SECRETS} | environment | {"DATABASE_URL": POSTGRES}

    finished = subprocess.run(
        [sys.executable, *command], env=env, capture_output=True, text=True, timeout=120
    )

    assert finished.returncode != 0
    assert "Sauti will not start" in finished.stderr
    assert "SECRET_KEY" in finished.stderr
    assert "Traceback" not in finished.stderr
