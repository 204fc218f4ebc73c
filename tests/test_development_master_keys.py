"""In development (SQLite, no SAUTI_ENV=production) a SAUTI_MASTER_KEYS that cannot be read
stops Sauti with the reason and how to make a key, as production does, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage.settings import ConfigurationError, Settings

PROJECT = Path(__file__).resolve().parent.parent
OTHER_SETTINGS = ("SAUTI_ENV", "DATABASE_URL", "REDIS_URL", "SAUTI_MASTER_KEYS_FILE")


@pytest.fixture
def development(tmp_path) -> dict[str, str]:
    """The process environment on SQLite, with a malformed SAUTI_MASTER_KEYS."""
    kept = {name: value for name, value in os.environ.items() if name not in OTHER_SETTINGS}
    return kept | {"SAUTI_INSTANCE_PATH": str(tmp_path / "instance"), "SAUTI_MASTER_KEYS": "garbage"}


def test_a_malformed_master_key_list_is_refused_with_the_reason(development):
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env(development)

    assert "SAUTI_MASTER_KEYS" in str(refused.value)
    assert "must be 32 bytes" in str(refused.value)
    assert "os.urandom(32)" in str(refused.value)


def test_a_command_stops_with_the_message_and_no_traceback(development):
    finished = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "keys", "status"],
        env=development,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert finished.returncode != 0
    assert "Sauti will not start: SAUTI_MASTER_KEYS" in finished.stderr
    assert "Traceback" not in finished.stderr
