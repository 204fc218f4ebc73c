"""Why an action was refused, in Kiswahili for a person who chose it: the panel's case pages,
its bulk actions and the admin's reply templates say it in their language, with the fields,
statuses and choices it names translated too. The API keeps answering in English."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.casedesk import TAXONOMY
from storage import Panel, Transfer
from storage.casework.actions import CaseworkError
from storage.casework.registry import NOTE
from tests.helpers import count, report_by_ref

ASSIGN_REFUSED_SW = "kesi inaweza kukabidhiwa tu kwa mjumbe hai wa jopo lake"
ASSIGN_REFUSED_EN = "the case can only be assigned to an active member of its panel"


def refused(auth, client, ref: str, action: str, data: dict[str, str]) -> str:
    """The case page drawn again with the refusal (a 400), what was typed kept in it."""
    answer = auth.post(f"/panel/cases/{ref}/{action}", data, page=f"/panel/cases/{ref}")
    assert answer.status_code == 400
    return answer.get_data(as_text=True)


def test_assigning_to_someone_not_on_the_panel_is_refused_in_kiswahili(
    lead_in_kiswahili, reported_case, make_user, auth, client
):
    ref = reported_case()
    outsider = make_user("panel_member", ("peace-committee",))

    page = refused(auth, client, ref, "assign", {"assignee": outsider.email})

    assert ASSIGN_REFUSED_SW in page
    assert ASSIGN_REFUSED_EN not in page


@pytest.mark.parametrize("panel", ["police-accountability", "peace-committee"])
def test_a_transfer_to_the_same_or_an_inactive_panel_is_refused_in_kiswahili(
    lead_in_kiswahili, reported_case, auth, client, runtime, panel
):
    ref = reported_case()
    with runtime.store.transaction() as session:
        session.scalars(select(Panel).where(Panel.key == "peace-committee")).one().active = False

    page = refused(auth, client, ref, "transfer", {"panel": panel, "reason": "Si kazi ya jopo letu"})

    assert "chagua jopo jingine lililo hai" in page
    assert count(runtime, Transfer) == 0


def test_reclassifying_to_the_same_classification_is_refused_in_kiswahili(
    lead_in_kiswahili, reported_case, auth, client, runtime
):
    ref = reported_case()
    report = report_by_ref(runtime, ref)

    page = refused(auth, client, ref, "reclassify", {"category": report.category, "urgency": report.urgency})

    assert "hakuna cha kubadilisha: kesi tayari ina uainishaji huo" in page


def test_acknowledging_twice_is_refused_naming_the_status_in_kiswahili(
    lead_in_kiswahili, reported_case, auth, client
):
    ref = reported_case()
    first = auth.post(f"/panel/cases/{ref}/acknowledge", {}, page=f"/panel/cases/{ref}")
    assert first.status_code == 303

    page = refused(auth, client, ref, "acknowledge", {})

    assert "kesi inaweza kuwa imethibitishwa ikiwa tu hali yake ni wazi" in page


def test_a_reply_too_long_for_one_sms_is_refused_in_kiswahili_with_its_length(
    lead_in_kiswahili, reported_case, auth, client
):
    ref = reported_case()
    too_long = ("Tumewasiliana na mkuu wa kituo cha polisi. " * 2)[:80] + "ŋ"

    page = refused(auth, client, ref, "reply", {"text": too_long})

    assert "jibu lazima litoshe SMS moja" in page
    assert "kikomo ni 70" in page


def test_cases_a_bulk_action_is_refused_for_are_listed_with_the_reasons_in_kiswahili(
    lead_in_kiswahili, reported_case, make_user, auth, client
):
    ref = reported_case()
    outsider = make_user("panel_member", ("peace-committee",))

    answer = auth.post(
        "/panel/bulk",
        {"action": "assign", "assignee": outsider.email, "refs": [ref, "K7F-3QX"]},
        page="/panel/",
    )
    page = client.get(answer.location).get_data(as_text=True)

    assert f"{ref}: {ASSIGN_REFUSED_SW}" in page
    assert "K7F-3QX: kesi hiyo haipo" in page


def test_a_reply_template_without_a_title_is_refused_in_kiswahili(admin_in_kiswahili, client):
    template = {"panel": "feedback-desk", "title": "", "text_en": "Thanks.", "text_sw": "Asante."}

    answer = admin_in_kiswahili.post("/admin/templates", template)
    page = client.get(answer.location).get_data(as_text=True)

    assert "sehemu ya kichwa haijajazwa" in page
    assert "the title is empty" not in page


def test_a_second_reply_template_with_the_same_title_is_refused_in_kiswahili(admin_in_kiswahili, client):
    template = {"panel": "feedback-desk", "title": "Asante", "text_en": "Thanks.", "text_sw": "Asante."}
    admin_in_kiswahili.post("/admin/templates", template)

    answer = admin_in_kiswahili.post("/admin/templates", template)
    page = client.get(answer.location).get_data(as_text=True)

    assert "jopo hili tayari lina kiolezo chenye kichwa hicho" in page


def test_the_page_says_a_refusal_in_kiswahili_and_the_api_in_english(
    lead_in_kiswahili, reported_case, make_user, auth, client, api_token
):
    ref = reported_case()
    outsider = make_user("panel_member", ("peace-committee",))

    page = refused(auth, client, ref, "assign", {"assignee": outsider.email})
    answer = client.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "assign", "assignee": outsider.email},
        headers={"Authorization": f"Bearer {api_token(lead_in_kiswahili)}", "Accept-Language": "sw"},
    )

    assert ASSIGN_REFUSED_SW in page
    assert answer.status_code == 400
    assert answer.json["detail"] == ASSIGN_REFUSED_EN


def test_a_refusal_reads_as_english_and_keeps_its_message_and_values_for_translation():
    with pytest.raises(CaseworkError) as refusal:
        NOTE.clean("x" * 4001, TAXONOMY)

    assert str(refusal.value) == "text is longer than 4000 characters"
    assert refusal.value.wording.message == "%(field)s is longer than %(limit)d characters"
    assert refusal.value.wording.values["limit"] == 4000
