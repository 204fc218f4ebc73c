"""The webhooks the intake benches send: Twilio SMS from many numbers, signed as Twilio signs."""

from __future__ import annotations

import uuid

from twilio.request_validator import RequestValidator

TOKEN = "bench-twilio-token"
SAMPLES = [
    "Polisi walimkamata kijana wangu jana Eastleigh hawajamwachilia",
    "They are beating a man right now at Gikomba market",
    "Askari wa Kamukunji wanaitisha hongo kila siku kwa boda boda",
    "Thank you to the officers at Pangani who helped us find our child",
    "Wasee wa mtaa wanarecruit vijana kwa makundi mabaya Majengo",
    "My brother was taken by men in a police car and we cannot find him",
]
VALIDATOR = RequestValidator(TOKEN)


def twilio_sms(n: int, base_url: str) -> tuple[dict[str, str], str]:
    """Message n's form and its X-Twilio-Signature, for the app served at `base_url`."""
    form = {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": "AC" + "0" * 32,
        "From": f"+2547{n % 100_000_000:08d}",
        "To": "+254700000001",
        "Body": f"{SAMPLES[n % len(SAMPLES)]} ({n})",
        "NumMedia": "0",
    }
    return form, VALIDATOR.compute_signature(f"{base_url}/channels/twilio/sms", form)
