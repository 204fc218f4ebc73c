"""Sending SMS: Twilio's REST API through its own client, Africa's Talking's messaging API,
or an outbox that keeps messages for a person to see when no gateway is configured."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from storage import Settings


class GatewayError(Exception):
    """Sending failed in a way worth retrying: the gateway could not be reached, refused our
    credentials, or answered something that could not be read. The message says which."""


# Answers that refuse the account rather than the message: the operator fixes the credentials
# and the message goes on the next try.
CREDENTIALS_REFUSED = (401, 403)


@dataclass(frozen=True)
class Sent:
    status: str
    provider_id: str | None = None
    # Why the gateway refused the message for good (never its number or text).
    error: str | None = None


class Gateway(Protocol):
    def send(self, number: str, text: str) -> Sent: ...


class RebasedHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """Twilio's HTTP client with its API host replaced, for a regional proxy or a test server."""

    def __init__(self, base_url: str) -> None:
        super().__init__(timeout=10)
        self.base = urlsplit(base_url)

    def request(self, method, url, *args, **kwargs) -> Response:  # type: ignore[no-untyped-def]
        parts = urlsplit(url)
        rebased = urlunsplit((self.base.scheme, self.base.netloc, parts.path, parts.query, ""))
        return super().request(method, rebased, *args, **kwargs)


class TwilioGateway:
    def __init__(self, settings: Settings, sender: str, prefix: str = "") -> None:
        twilio = settings.twilio
        http_client = RebasedHttpClient(twilio.api_base_url) if twilio.api_base_url else None
        self.client = Client(twilio.account_sid, twilio.auth_token, http_client=http_client)
        self.sender, self.prefix = sender, prefix
        self.status_callback = (
            f"{settings.public_base_url}/channels/twilio/status" if settings.public_base_url else None
        )

    def send(self, number: str, text: str) -> Sent:
        try:
            message = self.client.messages.create(
                to=self.prefix + number,
                from_=self.sender,
                body=text,
                status_callback=self.status_callback,
            )
        except TwilioRestException as error:
            return _twilio_refusal(error)
        except requests.RequestException as error:
            raise GatewayError(f"Twilio unreachable: {type(error).__name__}") from error
        except (TwilioException, ValueError) as error:
            raise GatewayError(f"Twilio's answer could not be read: {type(error).__name__}") from error
        return Sent("sent", message.sid)


def _twilio_refusal(error: TwilioRestException) -> Sent:
    """A refused message is failed for good; anything else raises GatewayError to retry."""
    told = f"Twilio answered {error.status}" + (f", error {error.code}" if error.code else "")
    if error.status in CREDENTIALS_REFUSED:
        raise GatewayError(f"{told}: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN") from error
    if error.status is not None and 400 <= error.status < 500 and error.status != 429:
        return Sent("failed", None, told)
    raise GatewayError(told) from error


class AfricasTalkingGateway:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings.africastalking

    def send(self, number: str, text: str) -> Sent:
        data = {"username": self.settings.username or "", "to": number, "message": text}
        if self.settings.sender_id:
            data["from"] = self.settings.sender_id
        try:
            response = requests.post(
                f"{self.settings.api_base_url}/version1/messaging",
                data=data,
                headers={"apiKey": self.settings.api_key or "", "Accept": "application/json"},
                timeout=10,
            )
        except requests.RequestException as error:
            raise GatewayError(f"Africa's Talking unreachable: {type(error).__name__}") from error
        return _africastalking_outcome(response)


def _africastalking_outcome(response: requests.Response) -> Sent:
    told = f"Africa's Talking answered {response.status_code}"
    if response.status_code in CREDENTIALS_REFUSED:
        raise GatewayError(f"{told}: check AT_USERNAME and AT_API_KEY")
    if response.status_code >= 500:
        raise GatewayError(told)
    try:
        recipients = response.json().get("SMSMessageData", {}).get("Recipients", [])
        first = recipients[0] if recipients else {}
        status, message_id = first.get("statusCode"), first.get("messageId")
    except (ValueError, LookupError, TypeError, AttributeError) as error:
        kind = response.headers.get("Content-Type", "no content type")
        raise GatewayError(f"{told} in a form not understood ({kind})") from error
    if response.status_code >= 400 or status not in (100, 101, 102):
        return Sent("failed", None, f"{told}: {first.get('status') or 'no recipient'} ({status})")
    return Sent("sent", message_id)


class OutboxGateway:
    """No gateway configured: the message stays in the outbox, visible to an admin."""

    def send(self, number: str, text: str) -> Sent:
        return Sent("outbox")


@dataclass
class Gateways:
    by_channel: dict[str, Gateway]

    @classmethod
    def from_settings(cls, settings: Settings) -> Gateways:
        outbox = OutboxGateway()
        twilio = settings.twilio
        gateways: dict[str, Gateway] = {
            "twilio_sms": outbox,
            "twilio_whatsapp": outbox,
            "at_sms": outbox,
        }
        if twilio.account_sid and twilio.sms_from:
            gateways["twilio_sms"] = TwilioGateway(settings, twilio.sms_from)
        if twilio.account_sid and twilio.whatsapp_from:
            gateways["twilio_whatsapp"] = TwilioGateway(settings, twilio.whatsapp_from, "whatsapp:")
        if settings.africastalking.can_send:
            gateways["at_sms"] = AfricasTalkingGateway(settings)
        return cls(gateways)

    def for_channel(self, channel: str) -> Gateway:
        return self.by_channel[channel]
