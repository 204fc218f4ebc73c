"""The app as gunicorn serves it, plus the floor: a bare route returning fixed TwiML, reached
through the same hooks as a gateway's webhook."""

from flask import Response

from app import create_app
from app.access import GATEWAY_ENDPOINTS

FIXED_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>ok</Message></Response>'

app = create_app()


@app.post("/bench/floor")
def floor() -> Response:
    return Response(FIXED_TWIML, mimetype="application/xml")


GATEWAY_ENDPOINTS["floor"] = "none: a bench that stores nothing"
if "csrf" in app.extensions:  # webhooks are exempt from CSRF; so is their floor
    app.extensions["csrf"].exempt(floor)
