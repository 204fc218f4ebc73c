"""With the database down, the JSON API says so with a 503 a client can retry after, as the
webhooks do, rather than a 500 that reads like a fault of ours."""

from __future__ import annotations

import logging

from app import create_app
from tests.fixtures.stand_ins import free_port


def test_the_api_answers_503_problem_details_when_the_database_is_unreachable(app_config, caplog):
    caplog.set_level(logging.INFO)
    closed = f"postgresql+psycopg://sauti:hunter2@127.0.0.1:{free_port()}/none"
    app = create_app(app_config | {"DATABASE_URL": closed}, start_worker=False)

    response = app.test_client().get("/api/v1/cases", headers={"Authorization": "Bearer some-token"})

    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 503
    assert response.json["title"] == "Service Unavailable"
    assert "database is unreachable" in response.json["detail"]
    assert response.headers["Retry-After"]
    assert "hunter2" not in response.get_data(as_text=True) + caplog.text
