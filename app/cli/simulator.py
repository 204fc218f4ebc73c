"""`sim sms` and `sim ussd`: drive the real webhooks from a terminal, signed as the gateways
sign them, so anyone can try Sauti without a phone."""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ElementTree

import click
import requests
from flask.cli import AppGroup
from twilio.request_validator import RequestValidator

from workers.runtime import current

DEFAULT_URL = "http://127.0.0.1:5000"


@click.group(cls=AppGroup)
def sim() -> None:
    """Pretend to be a resident's phone."""


@sim.command("sms")
@click.argument("number")
@click.argument("text")
@click.option("--url", default=DEFAULT_URL, show_default=True, help="Where Sauti is served.")
@click.option(
    "--gateway",
    type=click.Choice(["twilio", "whatsapp", "africastalking"]),
    default="twilio",
    show_default=True,
)
def sim_sms(number: str, text: str, url: str, gateway: str) -> None:
    """Text TEXT to Sauti from NUMBER and print the reply. The request goes to --url; a Twilio
    one is signed for PUBLIC_BASE_URL when that is set, as the server checks it against that."""
    if gateway == "africastalking":
        response = _post_africastalking(
            url,
            "/channels/africastalking/sms",
            {
                "from": number,
                "to": "22384",
                "text": text,
                "date": "",
                "id": secrets.token_hex(16),
                "linkId": "",
            },
        )
        click.echo(f"{response.status_code}: stored; the reply goes out by SMS (see the outbox).")
        return
    sender = f"whatsapp:{number}" if gateway == "whatsapp" else number
    response = post_twilio(url, sender, text)
    if response.status_code != 200:
        raise click.ClickException(f"{response.status_code}: {response.text.strip()}")
    click.echo(twiml_text(response.text))


@sim.command("ussd")
@click.argument("number")
@click.option("--url", default=DEFAULT_URL, show_default=True, help="Where Sauti is served.")
@click.option("--code", default="*384*1#", show_default=True, help="The USSD service code dialled.")
def sim_ussd(number: str, url: str, code: str) -> None:
    """Dial Sauti's USSD code from NUMBER and walk the menu interactively."""
    session_id = "ATUid_" + secrets.token_hex(12)
    inputs: list[str] = []
    while True:
        response = _post_africastalking(
            url,
            "/channels/ussd",
            {
                "sessionId": session_id,
                "serviceCode": code,
                "phoneNumber": number,
                "networkCode": "63902",
                "text": "*".join(inputs),
            },
        )
        if response.status_code != 200:
            raise click.ClickException(f"{response.status_code}: {response.text.strip()}")
        kind, _, screen = response.text.partition(" ")
        click.echo(f"\n{screen}\n")
        if kind == "END":
            return
        inputs.append(click.prompt("> ", prompt_suffix="", default="", show_default=False))


def post_twilio(base_url: str, sender: str, text: str) -> requests.Response:
    settings = current().settings
    path = "/channels/twilio/sms"
    url = f"{base_url.rstrip('/')}{path}"
    form = {
        "MessageSid": "SM" + secrets.token_hex(16),
        "AccountSid": settings.twilio.account_sid or "AC" + "0" * 32,
        "From": sender,
        "To": settings.twilio.sms_from or "+254700000000",
        "Body": text,
        "NumMedia": "0",
    }
    if not settings.twilio.auth_token:
        raise click.ClickException("Set TWILIO_AUTH_TOKEN: the simulator signs as Twilio does, with it.")
    # Sent to --url, signed for the URL the server checks: Twilio signs the public address it
    # was given, and behind a proxy that is PUBLIC_BASE_URL, not the address the request reached.
    signed_url = f"{settings.public_base_url}{path}" if settings.public_base_url else url
    signature = RequestValidator(settings.twilio.auth_token).compute_signature(signed_url, form)
    return _post(url, form, {"X-Twilio-Signature": signature})


def twiml_text(twiml: str) -> str:
    # The TwiML comes from the Sauti server the simulator was pointed at, not from a stranger.
    messages = ElementTree.fromstring(twiml).iter("Message")  # noqa: S314
    return " ".join(node.text or "" for node in messages)


def _post_africastalking(base_url: str, path: str, form: dict[str, str]) -> requests.Response:
    secret = current().settings.africastalking.webhook_secret
    if not secret:
        raise click.ClickException("Set AT_WEBHOOK_SECRET: Sauti refuses Africa's Talking calls without it.")
    return _post(f"{base_url.rstrip('/')}{path}", form, {"X-Sauti-Secret": secret})


def _post(url: str, form: dict[str, str], headers: dict[str, str]) -> requests.Response:
    try:
        return requests.post(url, data=form, headers=headers, timeout=15)
    except requests.ConnectionError as error:
        raise click.ClickException(
            f"Nothing answers at {url}. Is `make run` serving? Or pass --url."
        ) from error
