"""`gunicorn wsgi:app` as systemd or a container runs it: without its secrets it stops, non-zero,
instead of starting a worker every second for ever; and it keeps no control socket in the home
folder, which the systemd unit makes read-only and every instance of the user would share."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.request import urlopen

import pytest

from tests.fixtures.stand_ins import free_port
from tests.processes import wait_until

ROOT = Path(__file__).resolve().parent.parent
SECRETS = ("SECRET_KEY", "SAUTI_PEPPER", "SAUTI_MASTER_KEYS", "SAUTI_MASTER_KEYS_FILE")


def gunicorn(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "gunicorn", "-w", "1", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.parametrize("stack", ["sqlite"], indirect=True)
def test_without_its_secret_key_gunicorn_stops_with_an_error_and_says_why_once(app_config):
    env = {name: value for name, value in os.environ.items() if name not in SECRETS}
    env |= app_config | {"DATABASE_URL": f"postgresql+psycopg://sauti@127.0.0.1:{free_port()}/sauti"}
    del env["SECRET_KEY"]
    server = gunicorn(env, free_port())

    try:
        # A gunicorn that respawns its worker for ever never ends: this gives up on it.
        _, said = server.communicate(timeout=30)
    finally:
        server.kill()

    assert server.returncode != 0
    assert said.count("Sauti will not start") == 1
    assert "SECRET_KEY" in said


@pytest.mark.parametrize("stack", ["sqlite"], indirect=True)
def test_gunicorn_keeps_no_control_socket_in_the_home_folder(app_config, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {name: value for name, value in os.environ.items() if name != "XDG_RUNTIME_DIR"}
    port = free_port()
    server = gunicorn(env | app_config | {"HOME": str(home)}, port)

    try:
        wait_until(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), 60, "gunicorn did not serve")
    finally:
        server.terminate()
        _, said = server.communicate(timeout=30)

    assert not (home / ".gunicorn").exists()
    assert "Control server error" not in said


def _answers(url: str) -> bool:
    try:
        with urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
