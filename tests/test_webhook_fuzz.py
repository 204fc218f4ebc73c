"""Random bodies to every gateway webhook, signed and unsigned: random bytes, bad encodings,
huge fields, NULs, duplicate keys, JSON where a form is expected. Not one answer may be a
server error, and a refused request stores nothing."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from twilio.request_validator import RequestValidator
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from storage import Message, OutboundMessage, Report, Reporter
from tests.fixtures.webhooks import AT_SECRET, TWILIO_TOKEN
from tests.helpers import count

FORM = "application/x-www-form-urlencoded"
EXAMPLES = 60
# A request each gateway could really send; the fuzzing changes, adds or repeats fields of it.
VALID = {
    "/channels/twilio/sms": {
        "MessageSid": "SM" + "1" * 32,
        "AccountSid": "AC" + "1" * 32,
        "From": "+254712345678",
        "To": "+254700000001",
        "Body": "Polisi wamemkamata kijana Eastleigh",
        "NumMedia": "0",
    },
    "/channels/twilio/status": {"MessageSid": "SM" + "2" * 32, "MessageStatus": "delivered", "ErrorCode": ""},
    "/channels/ussd": {
        "sessionId": "ATUid_1",
        "serviceCode": "*384*1#",
        "phoneNumber": "+254712345678",
        "networkCode": "63902",
        "text": "1*1*Polisi wamemkamata kijana*1",
    },
    "/channels/africastalking/sms": {
        "from": "+254733000222",
        "to": "22384",
        "text": "Askari wanaitisha hongo",
        "date": "2026-11-26 10:00:00",
        "id": "ATXid_1",
        "linkId": "",
    },
    "/channels/africastalking/status": {
        "id": "ATXid_2",
        "status": "Success",
        "phoneNumber": "+254733000222",
        "networkCode": "63902",
        "failureReason": "",
    },
}
FIELDS = {path: tuple(form) for path, form in VALID.items()}
PLAUSIBLE = (
    "+254712345678",
    "whatsapp:+254712345678",
    "0712345678",
    "SM" + "0" * 32,
    "ATXid_1",
    "delivered",
    "Success",
    "Failed",
    "1*1*Polisi wamemkamata kijana*1",
    "STATUS K7F-3QX",
    "Polisi wanaitisha hongo Eastleigh",
    "",
)


@dataclass(frozen=True)
class Body:
    data: bytes
    content_type: str


text = st.text(st.characters(codec="utf-8"), max_size=80)
values = st.one_of(
    st.sampled_from(PLAUSIBLE),
    text,
    text.map(lambda t: t + "\x00" + t),
    st.integers(60, 5000).map(lambda n: "x" * n),
    st.sampled_from(["\ufffd", "\x1b[31m", "\u202eevil", "a" * 65, "b" * 201, "c" * 4097]),
)


def encoded(pairs: list[tuple[str, str]]) -> Body:
    return Body("&".join(f"{quote(k)}={quote(v)}" for k, v in pairs).encode(), FORM)


def form_bodies(path: str) -> st.SearchStrategy[Body]:
    """A random form of the route's fields (and others), most of them missing."""
    names = st.one_of(st.sampled_from(FIELDS[path]), text)
    return st.lists(st.tuples(names, values), max_size=8).map(encoded)


def changed_forms(path: str) -> st.SearchStrategy[Body]:
    """The gateway's real form with one to three fields replaced, added or repeated."""
    name = st.one_of(st.sampled_from(FIELDS[path]), st.sampled_from(FIELDS[path]), text)
    change = st.tuples(name, values, st.booleans())

    def apply(changes: list[tuple[str, str, bool]]) -> Body:
        pairs = list(VALID[path].items())
        for name, value, repeat in changes:
            if not repeat:
                pairs = [(k, v) for k, v in pairs if k != name]
            pairs.append((name, value))
        return encoded(pairs)

    return st.lists(change, min_size=1, max_size=3).map(apply)


raw_bodies = st.one_of(
    st.binary(max_size=300).map(lambda data: Body(data, FORM)),
    st.binary(max_size=60).map(lambda data: Body(b"Body=" + quote_from_bytes(data).encode(), FORM)),
    st.binary(max_size=300).map(lambda data: Body(data, "application/json")),
    st.just(Body(b"From=%2B254712345678&Body=" + b"y" * 70_000, FORM)),
    st.just(Body(b'{"From": "+254712345678", "Body": "hi"}', "application/json")),
)


def bodies(path: str) -> st.SearchStrategy[Body]:
    return st.one_of(changed_forms(path), changed_forms(path), form_bodies(path), raw_bodies)


def as_parsed(path: str, body: Body):
    """The form the server will read from this body, as Twilio would have signed it."""
    builder = EnvironBuilder(path=path, method="POST", data=body.data, content_type=body.content_type)
    try:
        return Request(builder.get_environ()).form
    except Exception:
        return {}


def credentials(path: str, body: Body, signed: bool) -> tuple[str, dict[str, str]]:
    if path.startswith("/channels/twilio/"):
        signature = "forged"
        if signed:
            form = as_parsed(path, body)
            signature = RequestValidator(TWILIO_TOKEN).compute_signature(f"http://localhost{path}", form)
        return path, {"X-Twilio-Signature": signature}
    return f"{path}?secret={AT_SECRET if signed else 'guess'}", {}


def stored(runtime) -> tuple[object, ...]:
    with runtime.store.transaction() as session:
        statuses = tuple(session.scalars(select(OutboundMessage.status).order_by(OutboundMessage.id)))
    return (*(count(runtime, model) for model in (Report, Message, Reporter, OutboundMessage)), statuses)


NASTY = ("", "\x00", "a\x00b", "\x1b[31m", "\u202eevil", "\ufffd", "x" * 65, "x" * 201, "x" * 4097)


@pytest.mark.parametrize("path", sorted(FIELDS))
def test_every_field_of_a_signed_webhook_with_every_nasty_value_is_answered_without_a_server_error(
    client, runtime, reported_case, path
):
    reported_case()
    for name in FIELDS[path]:
        for value in NASTY:
            for repeat in (False, True):
                pairs = [(k, v) for k, v in VALID[path].items() if repeat or k != name] + [(name, value)]
                body = encoded(pairs)
                url, headers = credentials(path, body, signed=True)
                before = stored(runtime)

                response = client.post(url, data=body.data, content_type=body.content_type, headers=headers)

                assert response.status_code < 500, (name, value[:20], repeat)
                if response.status_code >= 400:
                    assert stored(runtime) == before


@pytest.mark.parametrize("path", sorted(FIELDS))
def test_random_bodies_to_a_webhook_never_make_a_server_error_and_refusals_store_nothing(
    client, runtime, reported_case, path
):
    reported_case()
    answered: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(body=bodies(path), signed=st.sampled_from((True, True, True, False)))
    def post(body: Body, signed: bool) -> None:
        url, headers = credentials(path, body, signed)
        before = stored(runtime)

        response = client.post(url, data=body.data, content_type=body.content_type, headers=headers)

        answered.append(response.status_code)
        assert response.status_code < 500, response.get_data(as_text=True)
        if response.status_code >= 400:
            assert stored(runtime) == before

    post()
    assert {400, 403} <= set(answered)
    assert min(answered) < 300
