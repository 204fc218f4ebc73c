"""TWILIO_WHATSAPP_FROM may be written with or without `whatsapp:`: Twilio is always asked to
send from `whatsapp:+...`, which is the only form it accepts for a WhatsApp message."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.context import runtime_of
from storage import Report
from tests.fixtures.webhooks import send_sms_with
from tests.helpers import outbound
from workers import jobs
from workers.runtime import bound

EMERGENCY = "They are beating him right now at Pumwani, he is bleeding"


@pytest.mark.parametrize("written", ["+254700000002", "whatsapp:+254700000002", " WhatsApp:+254700000002 "])
def test_whatsapp_replies_go_from_the_whatsapp_address_however_it_is_written(make_app, twilio_api, written):
    app = make_app(TWILIO_WHATSAPP_FROM=written)
    send_sms_with(app.test_client(), EMERGENCY, sender="whatsapp:+254712345678")
    with bound(runtime_of(app)) as runtime:
        with runtime.store.transaction() as session:
            reports = [str(report_id) for report_id in session.scalars(select(Report.id))]
        jobs.triage_reports(reports)
        jobs.send_outbound_messages([str(message.id) for message in outbound(runtime)])

    [request] = twilio_api.requests
    assert request["form"]["From"] == ["whatsapp:+254700000002"]
    assert request["form"]["To"] == ["whatsapp:+254712345678"]
