"""Liveness and readiness."""

from __future__ import annotations

from tests.conftest import free_port


def test_healthz_says_the_process_is_alive(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_checks_the_database_and_the_queue(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"ready": True, "checks": {"database": True, "queue": True}}


def test_readyz_fails_when_the_queue_is_unreachable(make_app):
    client = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0").test_client()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["checks"]["queue"] is False
