"""What the case page's forms never send is refused outright, in the reader's language: an
action there is none of is a 404, a choice not offered or a panel or person that does not
exist is a 400. Nothing is changed, stored, sent or audited. A slip a person can make on the
page itself (a blank field, text over its length, a case already acknowledged) is still said
on the case page, a 400 drawn again with what they typed."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from sqlalchemy import func, select

from storage import Case, CaseNote, Correction, Message, OutboundMessage, Report, StaffNotice, Transfer
from storage.models import AuditEvent
from tests.fixtures.staff import csrf_token_of

STORED = (AuditEvent, CaseNote, Correction, Message, OutboundMessage, StaffNotice, Transfer)


def desk(runtime, ref: str) -> dict[str, Any]:
    """Everything an action could change: the case's columns, its report's classification and
    how many rows of each kind an action writes (audit events included)."""
    with runtime.store.transaction() as session:
        case = session.scalars(select(Case).join(Case.report).where(Report.ref == ref)).one()
        state: dict[str, Any] = {column.key: getattr(case, column.key) for column in Case.__table__.columns}
        state |= {"category": case.report.category, "urgency": case.report.urgency}
        for model in STORED:
            state[model.__name__] = session.scalar(select(func.count()).select_from(model))
        return state


def post(client, runtime, ref: str, action: str, data: dict[str, str]) -> tuple[Any, dict[str, Any]]:
    """The action posted as a browser posts it from the case page, CSRF token included; the
    answer and what it changed, each as (before, after). The page is read first, so its own
    audited view is not counted as the action's doing."""
    token = csrf_token_of(client.get(f"/panel/cases/{ref}").get_data(as_text=True))
    before = desk(runtime, ref)
    answer = client.post(f"/panel/cases/{ref}/{action}", data={**data, "csrf_token": token})
    after = desk(runtime, ref)
    return answer, {name: (value, after[name]) for name, value in before.items() if after[name] != value}


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def only_viewed(changed: dict[str, Any]) -> bool:
    """Nothing changed but the page drawn again, a view of the case audited as any."""
    audited, after = changed.pop("AuditEvent", (0, 0))
    return after == audited + 1 and changed == {}


def resolved(client, runtime, ref: str) -> str:
    answer, _ = post(client, runtime, ref, "resolve", {"outcome": "referred", "confirm": "1"})
    assert answer.status_code == 303
    return ref


def test_an_unknown_action_on_a_known_case_is_a_404_naming_the_actions_and_does_nothing(
    lead_in_kiswahili, reported_case, client, runtime
):
    ref = reported_case()

    answer, changed = post(client, runtime, ref, "bogus", {})

    assert answer.status_code == 404
    assert "chaguo la hatua lazima liwe mojawapo ya: thibitisha, tuma jibu" in text_of(answer)
    assert changed == {}


def test_an_unknown_action_on_an_unknown_case_is_a_plain_404(lead_in_kiswahili, reported_case, client):
    ref = reported_case()
    token = csrf_token_of(client.get(f"/panel/cases/{ref}").get_data(as_text=True))

    answer = client.post("/panel/cases/K7F-3QX/bogus", data={"csrf_token": token})

    assert answer.status_code == 404
    assert "chaguo la hatua" not in text_of(answer)


def test_an_unknown_outcome_is_a_400_naming_the_outcomes_in_kiswahili_and_resolves_nothing(
    lead_in_kiswahili, reported_case, client, runtime
):
    ref = reported_case()

    answer, changed = post(client, runtime, ref, "resolve", {"outcome": "bogus"})

    assert answer.status_code == 400
    assert (
        "chaguo la matokeo lazima liwe mojawapo ya: hatua zimechukuliwa, imepelekwa kwingine, imejibiwa,"
        " hakuna hatua inayowezekana, imerudiwa"
    ) in text_of(answer)
    assert "must be one of" not in text_of(answer)
    assert changed == {}


def test_an_over_long_note_is_a_400_naming_the_field_and_limit_and_keeps_no_note(
    lead_in_kiswahili, reported_case, client, runtime
):
    ref = reported_case()

    answer, changed = post(client, runtime, ref, "note", {"text": "x" * 5000})

    assert answer.status_code == 400
    assert "sehemu ya maandishi ina herufi zaidi ya 4000" in text_of(answer)
    assert "longer than" not in text_of(answer)
    assert only_viewed(changed)


def test_a_fallback_that_is_neither_yes_nor_no_is_a_400_and_escalates_nothing(
    lead_in_kiswahili, reported_case, client, runtime
):
    ref = reported_case()

    answer, changed = post(
        client, runtime, ref, "escalate", {"reason": "Wamerudi na silaha", "fallback": "maybe"}
    )

    assert answer.status_code == 400
    assert "sehemu ya jopo mbadala lazima iwe ndiyo au hapana" in text_of(answer)
    assert changed == {}


def test_the_refusal_is_in_english_for_a_reader_of_english(reported_case, make_user, auth, client, runtime):
    ref = reported_case()
    auth.sign_in(make_user("panel_lead"))

    answer, changed = post(client, runtime, ref, "resolve", {"outcome": "bogus"})

    assert answer.status_code == 400
    assert "outcome must be one of action taken, referred" in text_of(answer)
    assert changed == {}


@pytest.mark.parametrize("field", ["category", "urgency"])
def test_a_classification_not_offered_is_a_400_and_reclassifies_nothing(
    lead_in_kiswahili, reported_case, client, runtime, field
):
    ref = reported_case()

    answer, changed = post(client, runtime, ref, "reclassify", {field: "bogus"})

    assert answer.status_code == 400
    assert "lazima liwe mojawapo ya" in text_of(answer)
    assert changed == {}


def test_an_over_long_reply_is_a_400_and_sends_nothing(lead_in_kiswahili, reported_case, client, runtime):
    ref = reported_case()

    answer, changed = post(client, runtime, ref, "reply", {"text": "Tumewasiliana na kituo. " * 10})

    assert answer.status_code == 400
    assert "sehemu ya maandishi ina herufi zaidi ya 145" in text_of(answer)
    assert only_viewed(changed)


@pytest.mark.parametrize("action", ["escalate", "transfer", "reveal"])
def test_an_over_long_reason_is_a_400_and_does_nothing(
    lead_in_kiswahili, reported_case, client, runtime, action
):
    ref = reported_case()

    answer, changed = post(client, runtime, ref, action, {"reason": "x" * 5000, "panel": "emergency-desk"})

    assert answer.status_code == 400
    assert "ina herufi zaidi ya 4000" in text_of(answer)
    assert only_viewed(changed)


def test_an_over_long_reason_to_reopen_is_a_400_and_reopens_nothing(
    lead_in_kiswahili, reported_case, client, runtime
):
    ref = resolved(client, runtime, reported_case())

    answer, changed = post(client, runtime, ref, "reopen", {"reason": "x" * 5000})

    assert answer.status_code == 400
    assert "ina herufi zaidi ya 4000" in text_of(answer)
    assert only_viewed(changed)


def test_a_transfer_to_a_panel_that_does_not_exist_is_a_400_and_moves_nothing(
    lead_in_kiswahili, reported_case, client, runtime
):
    ref = reported_case()

    answer, changed = post(
        client, runtime, ref, "transfer", {"panel": "no-such-panel", "reason": "Si kazi yetu"}
    )

    assert answer.status_code == 400
    assert "chagua jopo" in text_of(answer)
    assert changed == {}


@pytest.mark.parametrize(
    ("assignee", "reason"),
    [
        ("nobody@sauti.test", "kwa mjumbe hai wa jopo lake"),
        ("n" * 300 + "@sauti.test", "ina herufi zaidi ya 254"),
    ],
    ids=["no-such-account", "over-long"],
)
def test_assigning_to_someone_the_page_never_offers_is_a_400_and_assigns_nothing(
    lead_in_kiswahili, reported_case, client, runtime, assignee, reason
):
    ref = reported_case()

    answer, changed = post(client, runtime, ref, "assign", {"assignee": assignee})

    assert answer.status_code == 400
    assert reason in text_of(answer)
    assert changed == {}


def test_a_member_sending_a_forged_outcome_is_still_not_allowed_to_resolve(
    reported_case, make_user, auth, client, runtime
):
    ref = reported_case()
    auth.sign_in(make_user("panel_member"))

    answer, changed = post(client, runtime, ref, "resolve", {"outcome": "bogus"})

    assert answer.status_code == 403
    assert changed == {}


def test_a_blank_note_is_still_said_on_the_case_page(lead_in_kiswahili, reported_case, client, runtime):
    ref = reported_case()

    answer, changed = post(client, runtime, ref, "note", {"text": "   "})

    assert answer.status_code == 400
    assert 'id="action-note"' in text_of(answer)
    assert "sehemu ya maandishi haijajazwa" in text_of(answer)
    audited, after = changed.pop("AuditEvent")
    assert after == audited + 1  # the page drawn again is a view of the case, audited as any
    assert changed == {}


def test_a_forged_outcome_in_bulk_is_a_400_and_resolves_none_of_the_cases(
    lead_in_kiswahili, reported_case, client, runtime
):
    refs = [reported_case(), reported_case("Askari wanaitisha hongo kila siku sokoni Gikomba")]
    token = csrf_token_of(client.get("/panel/").get_data(as_text=True))
    before = [desk(runtime, ref) for ref in refs]

    answer = client.post(
        "/panel/bulk", data={"action": "resolve", "outcome": "bogus", "refs": refs, "csrf_token": token}
    )

    assert answer.status_code == 400
    assert "chaguo la matokeo lazima liwe mojawapo ya" in text_of(answer)
    assert [desk(runtime, ref) for ref in refs] == before
