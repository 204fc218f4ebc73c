"""Who may reach what. Every endpoint of every blueprint refuses an anonymous request unless it
is listed here: pages send the visitor to sign in, the API answers 401. Roles are checked by
the views on top of this; a view someone forgets to guard is closed, not open."""

from __future__ import annotations

from flask import Flask, abort, g, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.auth import login_manager
from app.context import transaction
from app.signin import StaffMember
from storage.accounts import user_for_token

# Endpoints anyone may reach, and why.
PUBLIC_ENDPOINTS = {
    "static": "style sheets of the sign-in page",
    "favicon": "the icon browsers ask for on every page",
    "health.healthz": "liveness, for the orchestrator",
    "health.readyz": "readiness, for the load balancer",
    "auth.sign_in": "signing in",
    "auth.code": "the second step of signing in, for a password just checked",
    "auth.enrol": "the first authenticator, for a password just checked",
    "auth.invitation": "choosing a password from an invitation link",
    "public.transparency": "the public transparency page",
    "api.openapi_json": "the API's description",
}
# Endpoints the gateways call: each refuses what its gateway did not sign (403).
GATEWAY_ENDPOINTS = {
    "channels.twilio_inbound": "Twilio signature",
    "channels.twilio_delivery_status": "Twilio signature",
    "channels.ussd": "Africa's Talking shared secret",
    "channels.africastalking_sms": "Africa's Talking shared secret",
    "channels.africastalking_delivery_status": "Africa's Talking shared secret",
}
# Endpoints outside the API that take an API bearer token instead of a signed-in session.
TOKEN_ENDPOINTS = {"health.metrics": "Prometheus scrapes with an auditor's or admin's API token"}
API = "api"


def install_access(app: Flask) -> None:
    app.before_request(refuse_unless_allowed)


def refuse_unless_allowed() -> ResponseReturnValue | None:
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS or endpoint in GATEWAY_ENDPOINTS:
        return None
    if request.blueprint == API or endpoint in TOKEN_ENDPOINTS:
        g.api_user = _bearer() or abort(
            401, description="send a valid bearer token: Authorization: Bearer <token>"
        )
        return None
    if not current_user.is_authenticated:
        unauthorized: ResponseReturnValue = login_manager.unauthorized()
        return unauthorized
    return None


def _bearer() -> StaffMember | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    with transaction() as session:
        user = user_for_token(session, token.strip())
        return StaffMember.of(user) if user else None
