"""What deploy/ promises, checked where images cannot be built: the image runs as a user of its
own and holds no secret; compose runs every part with a restart policy; the systemd units run
the same commands the container does."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
SECRETS = ("SECRET_KEY", "SAUTI_PEPPER", "SAUTI_MASTER_KEYS", "TWILIO_AUTH_TOKEN", "AT_WEBHOOK_SECRET")


def test_the_image_runs_as_a_user_that_is_not_root():
    users = re.findall(r"^USER\s+(\S+)", (DEPLOY / "Dockerfile").read_text(), re.MULTILINE)

    assert users
    assert users[-1] not in ("root", "0")


def test_the_image_holds_no_secret_and_copies_no_env_file_or_instance_folder():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    copied = re.findall(r"^COPY\s+(?!--from)(.+)$", dockerfile, re.MULTILINE)

    assert not any(name in dockerfile for name in SECRETS)
    assert not any(".env" in line or "instance" in line for line in copied)
    assert "*" in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()


def test_compose_runs_postgresql_redis_web_worker_and_a_tls_proxy_that_restart():
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]

    parts = ("db", "redis", "web", "worker", "caddy")
    assert set(parts) <= set(services)
    assert all(services[name]["restart"] == "unless-stopped" for name in parts)
    assert services["worker"]["command"] == ["flask", "worker"]
    assert "wsgi:app" in services["web"]["command"]
    assert services["caddy"]["ports"][1] == "443:443"


def test_the_systemd_units_restart_the_web_app_and_the_worker():
    for name, command in (("sauti-web", "gunicorn"), ("sauti-worker", "flask worker")):
        unit = configparser.ConfigParser(strict=False, interpolation=None)
        unit.read(DEPLOY / "systemd" / f"{name}.service")

        assert command in unit["Service"]["ExecStart"]
        assert unit["Service"]["User"] == "sauti"
        assert unit["Service"]["Restart"] == "always"


def web_commands() -> dict[str, list[str]]:
    """How each deployment starts the web app, as argument lists."""
    image = re.findall(r"^CMD\s+(\[.+\])$", (DEPLOY / "Dockerfile").read_text(), re.MULTILINE)[-1]
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(DEPLOY / "systemd" / "sauti-web.service")
    return {
        "image": yaml.safe_load(image),
        "compose": yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]["web"]["command"],
        "systemd": unit["Service"]["ExecStart"].split(),
    }


def test_every_deployment_serves_with_the_settings_of_gunicorn_conf():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    copied = " ".join(re.findall(r"^COPY\s+(?!--from)(.+)$", dockerfile, re.MULTILINE))

    assert "gunicorn.conf.py" in copied
    assert "!gunicorn.conf.py" in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    for command in web_commands().values():
        flags = {argument.split("=")[0] for argument in command if argument.startswith("-")}
        assert flags <= {"--workers", "-w"}, command


def test_no_deployment_writes_an_access_log_that_would_hold_a_gateway_secret():
    for command in web_commands().values():
        assert not {"--access-logfile", "--access-log"} & set(command), command
