"""The intake bench's floor: a bare route that meets the hooks a gateway's webhook meets, so that
intake is compared with the cost of serving a webhook, not with the cost of serving a page."""

from __future__ import annotations

from app.access import GATEWAY_ENDPOINTS
from bench.ingest_app import FIXED_TWIML, FLOOR_ENDPOINT, FLOOR_PATH, add_floor


def test_the_floor_answers_fixed_twiml_without_a_signature(app, monkeypatch):
    monkeypatch.setitem(GATEWAY_ENDPOINTS, FLOOR_ENDPOINT, "")

    response = add_floor(app).test_client().post(FLOOR_PATH, data={"Body": "hello"})

    assert response.status_code == 200
    assert response.get_data(as_text=True) == FIXED_TWIML


def test_the_floor_is_passed_by_the_page_input_check_as_a_webhook_is(app, monkeypatch):
    """Pages' forms are checked before any view; a webhook's fields are checked by its route,
    after its signature. A control character a page may not send reaches the floor."""
    monkeypatch.setitem(GATEWAY_ENDPOINTS, FLOOR_ENDPOINT, "")

    response = add_floor(app).test_client().post(FLOOR_PATH, data={"Body": "a\x01b"})

    assert response.status_code == 200
