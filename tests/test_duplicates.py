"""Several people reporting the same incident: the later case is linked to the earlier one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from storage import Case, Panel, Report
from storage.casework.duplicates import duplicate_candidates, duplicate_candidates_of_many
from storage.models import AuditEvent
from tests.helpers import end_stories, reference_in
from triage.duplicates import DEFAULT_WINDOW
from workers.jobs import triage_reports

GIKOMBA_BRIBES = "Askari wanaitisha hongo kila siku sokoni Gikomba"
GIKOMBA_BRIBES_AGAIN = "Polisi wanaitisha hongo kila siku Gikomba sokoni kwa wachuuzi"
NEIGHBOUR = "+254711000222"


@pytest.fixture
def report_from(send_sms, run_jobs, runtime):
    """Text a report in from a given number, triage it, and return its reference; the number's
    next report is one of its own."""

    def report(body: str, sender: str) -> str:
        ref = reference_in(send_sms(body, sender=sender).get_data(as_text=True))
        run_jobs()
        end_stories(runtime)
        return ref

    return report


def case_by_ref(runtime, ref: str) -> Case:
    with runtime.store.transaction() as session:
        return session.scalars(select(Case).join(Case.report).where(Report.ref == ref)).one()


@pytest.fixture
def incident(report_from) -> tuple[str, str]:
    """The same incident reported by two people: the earlier reference, then the later."""
    return report_from(GIKOMBA_BRIBES, "+254711000111"), report_from(GIKOMBA_BRIBES_AGAIN, NEIGHBOUR)


def move_to_emergency_desk(runtime, ref: str) -> None:
    case_id = case_by_ref(runtime, ref).id
    with runtime.store.transaction() as session:
        elsewhere = session.scalars(select(Panel.id).where(Panel.key == "emergency-desk")).one()
        session.execute(update(Case).where(Case.id == case_id).values(panel_id=elsewhere))


def link_events(runtime) -> list[AuditEvent]:
    with runtime.store.transaction() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "case.duplicate_linked")))


def move_back(runtime, ref: str, hours: int) -> None:
    with runtime.store.transaction() as session:
        report = session.scalars(select(Report).where(Report.ref == ref)).one()
        report.received_at -= timedelta(hours=hours)


def test_a_second_report_of_the_same_incident_is_linked_to_the_first(incident, runtime):
    first, second = incident

    assert case_by_ref(runtime, second).duplicate_of_id == case_by_ref(runtime, first).id
    assert case_by_ref(runtime, first).duplicate_of_id is None


def test_reports_of_one_incident_triaged_together_link_the_later_to_the_earlier(send_sms, runtime):
    first = reference_in(send_sms(GIKOMBA_BRIBES, sender="+254711000111").text)
    second = reference_in(send_sms(GIKOMBA_BRIBES_AGAIN, sender=NEIGHBOUR).text)
    with runtime.store.transaction() as session:
        report_ids = [str(i) for i in session.scalars(select(Report.id).order_by(Report.received_at.desc()))]

    triage_reports(report_ids)

    assert case_by_ref(runtime, second).duplicate_of_id == case_by_ref(runtime, first).id
    assert case_by_ref(runtime, first).duplicate_of_id is None


def test_the_link_is_audited_without_text(incident, runtime):
    first, second = incident

    [event] = link_events(runtime)

    assert event.subject == f"case:{case_by_ref(runtime, second).id}"
    assert event.details == {
        "case": case_by_ref(runtime, second).id,
        "duplicate_of": case_by_ref(runtime, first).id,
    }


def test_a_similar_report_from_another_ward_is_not_linked(report_from, runtime):
    report_from(GIKOMBA_BRIBES, "+254711000111")
    other_ward = report_from("Askari wanaitisha hongo kila siku Eastleigh 1st avenue", NEIGHBOUR)

    assert case_by_ref(runtime, other_ward).duplicate_of_id is None


def test_a_similar_report_much_later_is_not_linked(report_from, runtime):
    first = report_from(GIKOMBA_BRIBES, "+254711000111")
    move_back(runtime, first, hours=10)

    later = report_from(GIKOMBA_BRIBES_AGAIN, NEIGHBOUR)

    assert case_by_ref(runtime, later).duplicate_of_id is None


def test_an_unrelated_report_in_the_same_ward_and_category_is_not_linked(report_from, runtime):
    report_from(GIKOMBA_BRIBES, "+254711000111")
    unrelated = report_from(
        "Officers took money from matatu drivers at Pumwani stage, harassing everyone", NEIGHBOUR
    )

    assert case_by_ref(runtime, unrelated).duplicate_of_id is None


def test_the_same_reporter_texting_twice_is_not_linked_to_themselves(report_from, runtime):
    report_from(GIKOMBA_BRIBES, NEIGHBOUR)
    again = report_from(GIKOMBA_BRIBES_AGAIN, NEIGHBOUR)

    assert case_by_ref(runtime, again).duplicate_of_id is None


def test_triaging_again_does_not_link_twice(incident, runtime):
    first, second = incident
    with runtime.store.transaction() as session:
        report_id = session.scalars(select(Report.id).where(Report.ref == second)).one()

    assert triage_reports([str(report_id)]) == {"triaged": 0, "skipped": 1, "followups_read": 0, "raised": 0}
    assert case_by_ref(runtime, second).duplicate_of_id == case_by_ref(runtime, first).id
    assert len(link_events(runtime)) == 1


def test_the_case_page_links_to_the_case_it_likely_duplicates(incident, make_user, auth, client):
    first, second = incident
    auth.sign_in(make_user("panel_member", ("police-accountability",)))

    page = client.get(f"/panel/cases/{second}").get_data(as_text=True)

    assert f'href="/panel/cases/{first}"' in page


def test_the_api_names_the_case_it_likely_duplicates(incident, make_user, api_token, client):
    first, second = incident
    token = api_token(make_user("panel_member", ("police-accountability",)))

    detail = client.get(f"/api/v1/cases/{second}", headers={"Authorization": f"Bearer {token}"}).json

    assert detail["duplicate_of"] == first


def test_the_earlier_case_page_links_to_the_later_reports_of_the_same_incident(
    incident, make_user, auth, client
):
    first, second = incident
    auth.sign_in(make_user("panel_member", ("police-accountability",)))

    page = client.get(f"/panel/cases/{first}").get_data(as_text=True)

    assert f'href="/panel/cases/{second}"' in page


def test_the_api_names_the_later_cases_of_the_same_incident(incident, make_user, api_token, client):
    first, second = incident
    token = api_token(make_user("panel_member", ("police-accountability",)))

    detail = client.get(f"/api/v1/cases/{first}", headers={"Authorization": f"Bearer {token}"}).json

    assert detail["duplicated_by"] == [second]


def test_a_later_case_on_another_panel_is_not_named(incident, make_user, api_token, runtime, client):
    first, second = incident
    move_to_emergency_desk(runtime, second)
    token = api_token(make_user("panel_member", ("police-accountability",)))

    detail = client.get(f"/api/v1/cases/{first}", headers={"Authorization": f"Bearer {token}"}).json

    assert detail["duplicated_by"] == []


def test_a_link_to_another_panels_case_is_not_shown(incident, make_user, auth, api_token, client, runtime):
    first, second = incident
    move_to_emergency_desk(runtime, first)
    member = make_user("panel_member", ("police-accountability",))
    auth.sign_in(member)

    page = client.get(f"/panel/cases/{second}").get_data(as_text=True)
    detail = client.get(
        f"/api/v1/cases/{second}", headers={"Authorization": f"Bearer {api_token(member)}"}
    ).json

    assert first not in page
    assert 'id="duplicate-of"' not in page
    assert detail["duplicate_of"] is None


def test_candidates_found_for_a_batch_are_those_found_one_report_at_a_time(report_from, runtime):
    for _ in range(6):
        report_from(GIKOMBA_BRIBES, NEIGHBOUR)
    for n in range(4):
        report_from(GIKOMBA_BRIBES_AGAIN, f"+25471100030{n}")
    keys = runtime.store.keys
    with runtime.store.transaction() as session:
        reports = session.scalars(select(Report).order_by(Report.received_at)).all()

        together = duplicate_candidates_of_many(session, keys, reports, DEFAULT_WINDOW, limit=2)
        one_by_one = {r.id: duplicate_candidates(session, keys, r, DEFAULT_WINDOW, limit=2) for r in reports}

    assert together == one_by_one
    assert all(len(found) == 2 for found in together.values())
