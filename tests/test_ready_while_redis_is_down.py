"""/readyz answers for what a serving process needs to take reports: the database at this
code's schema. Redis down is reported but is no reason to take the instance out: webhooks go
on, and reports wait in the database for the sweep."""

from __future__ import annotations

from tests.fixtures.stand_ins import free_port


def test_readyz_is_ready_while_redis_is_down_and_says_so(make_app):
    client = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0").test_client()

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"ready": True, "checks": {"database": True, "queue": False}}
