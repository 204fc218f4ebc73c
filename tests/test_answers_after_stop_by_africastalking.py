"""Over Africa's Talking SMS every answer goes out as an SMS of its own, after the webhook has
answered. STOP erases the number and its key for good; the STOP confirmation, and the answers
to what the resident sends afterwards, carry the number sealed in themselves until they have
gone, however the notify job's runs fall between the messages."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import partial

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.context import runtime_of
from storage import OutboundMessage
from storage.models import utcnow
from storage.reporter_texts import reporter_text
from storage.retention import apply_retention
from tests.fixtures.staff import AuthActions
from tests.fixtures.stand_ins import GatewayStandIn
from tests.fixtures.webhooks import AT_SECRET
from tests.helpers import only_report
from tests.test_africastalking_replies import number_kept
from workers.runtime import Runtime

RESIDENT = "+254744000002"
REPORT = "Askari walinipiga Gikomba jana"


@pytest.fixture
def post_africastalking(client: FlaskClient) -> Callable[[str], None]:
    """An SMS from the resident to Africa's Talking's webhook, leaving what it queues unsent."""
    return partial(post_to, client)


def post_to(client: FlaskClient, text: str) -> None:
    form = {"from": RESIDENT, "to": "22384", "text": text, "id": "ATXin_" + uuid.uuid4().hex, "linkId": ""}
    response = client.post("/channels/africastalking/sms", data=form, headers={"X-Sauti-Secret": AT_SECRET})
    assert response.status_code == 200


def sent_to_resident(africastalking_api: GatewayStandIn) -> list[str]:
    return [
        str(request["form"]["message"][0])  # type: ignore[index]
        for request in africastalking_api.requests
        if request["form"]["to"] == [RESIDENT]  # type: ignore[index]
    ]


def test_the_stop_confirmation_and_the_answer_after_it_go_out_when_sent_together(
    post_africastalking, run_jobs, africastalking_api, runtime: Runtime
):
    post_africastalking(REPORT)
    post_africastalking("ACHA")
    post_africastalking("HALI")

    run_jobs()

    confirmation, status = sent_to_resident(africastalking_api)
    assert confirmation == reporter_text("stopped", "sw")
    assert only_report(runtime).ref in status


def test_with_no_gateway_the_admin_reads_the_answers_after_stop_in_the_outbox_after_a_new_report(
    make_app, make_user, run_jobs
):
    app = make_app(AT_USERNAME="", AT_API_KEY="")
    client = app.test_client()
    for text in (REPORT, "ACHA", "HALI"):
        post_to(client, text)
    run_jobs(runtime_of(app))
    first = only_report(runtime_of(app)).ref
    post_to(client, "Askari walirudi Gikomba leo asubuhi")
    run_jobs(runtime_of(app))
    AuthActions(client).sign_in(make_user("admin", ()))

    page = client.get("/admin/outbox").get_data(as_text=True)

    assert reporter_text("stopped", "sw") in page
    assert f"Sauti {first}:" in page


def test_the_acknowledgement_waiting_when_the_resident_said_stop_is_dropped(
    post_africastalking, run_jobs, africastalking_api, runtime: Runtime
):
    post_africastalking(REPORT)
    post_africastalking("ACHA")

    run_jobs()

    assert sent_to_resident(africastalking_api) == [reporter_text("stopped", "sw")]
    with runtime.store.transaction() as session:
        acknowledgement = session.scalars(
            select(OutboundMessage).where(OutboundMessage.report_id.is_not(None))
        ).one()
        assert (acknowledgement.status, acknowledgement.wrapped_key) == ("undeliverable", None)


def test_the_reporter_stays_unreachable_while_the_stop_confirmation_waits(
    post_africastalking, runtime: Runtime
):
    post_africastalking(REPORT)
    post_africastalking("ACHA")

    assert not only_report(runtime).reporter_reachable
    assert not number_kept(runtime, RESIDENT)


def test_no_number_or_text_is_left_readable_once_the_answers_after_stop_have_gone(
    post_africastalking, run_jobs, runtime: Runtime
):
    post_africastalking(REPORT)
    post_africastalking("ACHA")
    post_africastalking("HALI")

    run_jobs()

    assert not number_kept(runtime, RESIDENT)
    assert readable_messages(runtime) == 0


def test_an_answer_after_stop_that_never_goes_is_erased_after_the_number_period(
    post_africastalking, runtime: Runtime
):
    post_africastalking("ACHA")
    days = runtime.settings.retention.number_days

    erased = apply_retention(
        runtime.store, runtime.settings.retention, None, utcnow() + timedelta(days=days + 1)
    )

    assert erased.numbers == 1
    assert readable_messages(runtime) == 0
    with runtime.store.transaction() as session:
        assert session.scalars(select(OutboundMessage.status)).one() == "undeliverable"


def readable_messages(runtime: Runtime) -> int:
    with runtime.store.transaction() as session:
        return len(
            session.scalars(select(OutboundMessage.id).where(OutboundMessage.wrapped_key.is_not(None))).all()
        )


def test_a_stop_confirmation_waiting_through_a_key_rotation_and_retirement_still_goes(
    app, post_africastalking, run_jobs, africastalking_api, runtime: Runtime
):
    post_africastalking("ACHA")
    old_key = runtime.store.keys.active_id
    runner = app.test_cli_runner()
    runner.invoke(args=["keys", "rotate", "--yes"])

    retired = runner.invoke(args=["keys", "retire", old_key, "--yes"])
    run_jobs()

    assert retired.exit_code == 0, retired.output
    assert sent_to_resident(africastalking_api) == [reporter_text("stopped", "sw")]
