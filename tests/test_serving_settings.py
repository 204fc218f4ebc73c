"""gunicorn.conf.py: how `gunicorn wsgi:app` serves Sauti wherever it runs."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def settings() -> dict[str, Any]:
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_workers_answer_on_threads_that_share_a_group_commit(settings):
    assert settings["worker_class"] == "gthread"
    assert settings["threads"] > 1


def test_no_access_log_is_written_where_a_gateway_secret_would_land(settings):
    assert "accesslog" not in settings


def test_the_c_library_takes_the_cap_on_malloc_arenas():
    """Run in a process of its own: the cap lasts as long as the process does."""
    capped = subprocess.run(
        [
            sys.executable,
            "-c",
            "import runpy, sys; "
            f"settings = runpy.run_path({str(ROOT / 'gunicorn.conf.py')!r}); "
            "sys.exit(0 if settings['limit_malloc_arenas'](settings['MALLOC_ARENAS']) else 1)",
        ],
        check=False,
    )

    assert capped.returncode == 0
