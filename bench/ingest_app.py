"""The app as gunicorn serves it, plus the floor: a bare route returning fixed TwiML, reached
through the same hooks as a gateway's webhook. It belongs to the channels blueprint, so the
checks of staff sessions and of page input pass it by, as they pass a webhook by.

    gunicorn 'bench.ingest_app:app_with_floor()'
"""

from flask import Flask, Response

from app import create_app
from app.access import GATEWAY_ENDPOINTS

FIXED_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>ok</Message></Response>'
FLOOR_PATH = "/bench/floor"
FLOOR_ENDPOINT = "channels.bench_floor"


def app_with_floor() -> Flask:
    return add_floor(create_app())


def add_floor(app: Flask) -> Flask:
    app.add_url_rule(FLOOR_PATH, FLOOR_ENDPOINT, floor, methods=["POST"])
    GATEWAY_ENDPOINTS[FLOOR_ENDPOINT] = "none: a bench that stores nothing"
    return app


def floor() -> Response:
    return Response(FIXED_TWIML, mimetype="application/xml")
