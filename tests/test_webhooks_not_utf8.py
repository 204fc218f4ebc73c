"""A gateway's form whose percent-escapes are no UTF-8 ("%FF%FE") is refused with a 400 and
stores nothing: Werkzeug would otherwise read the escape as the text "%FF%FE", which would open
a case that panels read and triage classifies."""

from __future__ import annotations

from urllib.parse import urlencode

from storage.models import Report
from tests.fixtures.webhooks import AT_SECRET, TEST_NUMBER, twilio_form, twilio_signature
from tests.helpers import count

FORM = "application/x-www-form-urlencoded"


def test_a_twilio_sms_that_is_not_utf8_is_refused_and_stores_nothing(client, runtime):
    form = twilio_form("%FF%FEpolisi")
    raw = urlencode({k: v for k, v in form.items() if k != "Body"}) + "&Body=%FF%FEpolisi"

    answer = client.post(
        "/channels/twilio/sms",
        data=raw,
        content_type=FORM,
        headers={"X-Twilio-Signature": twilio_signature(form)},
    )

    assert answer.status_code == 400
    assert "Body is not valid UTF-8" in answer.get_data(as_text=True)
    assert count(runtime, Report) == 0


def test_an_africastalking_sms_that_is_not_utf8_is_refused_and_stores_nothing(client, runtime):
    raw = urlencode({"from": TEST_NUMBER, "to": "22384", "id": "ATXin_1", "linkId": ""}) + "&text=%FF%FE"

    answer = client.post(f"/channels/africastalking/sms?secret={AT_SECRET}", data=raw, content_type=FORM)

    assert answer.status_code == 400
    assert count(runtime, Report) == 0


def test_a_ussd_answer_that_is_not_utf8_is_refused_and_stores_nothing(client, runtime):
    fields = {"sessionId": "ATUid_1", "serviceCode": "*384*1#", "phoneNumber": TEST_NUMBER}
    raw = urlencode(fields) + "&text=1*1*%FF%FE*1"

    answer = client.post(f"/channels/ussd?secret={AT_SECRET}", data=raw, content_type=FORM)

    assert answer.status_code == 400
    assert count(runtime, Report) == 0
