"""Fixtures: the app on SQLite with the in-process worker, and on real PostgreSQL with real
Redis and RQ; signed gateway requests; local HTTP servers standing in for gateway APIs.

They live in tests/fixtures/, one module a job, and are registered here for every test."""

import pytest

# Before any of them is imported, so that their asserts are rewritten as this file's were and
# still say what they compared when they fail, whichever of them imports another first.
pytest.register_assert_rewrite("tests.fixtures")

pytest_plugins = [
    "tests.fixtures.services",
    "tests.fixtures.application",
    "tests.fixtures.stand_ins",
    "tests.fixtures.media",
    "tests.fixtures.webhooks",
    "tests.fixtures.staff",
    "tests.fixtures.casebook",
    "tests.fixtures.clocks",
]
