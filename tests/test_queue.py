"""The panel's queue at volume: excerpts, search in the redacted text, look-up by reference,
filters, sort, pages of 50 with the total, bulk actions for leads and a CSV without text."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import triage
from storage import Case, Panel, Report, Reporter, User
from storage.models import AuditEvent
from tests.helpers import report_by_ref

EXTORTION = "Askari wanaitisha hongo kila siku sokoni Gikomba, nipigie 0722000111"
ARREST = "Polisi walimkamata kijana wangu jana Eastleigh na hawajamwachilia"


@pytest.fixture
def lead(make_user, auth):
    account = make_user("panel_lead", ("police-accountability", "emergency-desk"))
    auth.sign_in(account)
    return account


@pytest.fixture
def bare_cases(runtime):
    """`count` open cases written straight to the database, received a minute apart."""

    def make(count: int, panel: str = "police-accountability", ward: str | None = "Pumwani") -> list[str]:
        start = datetime(2026, 11, 1, tzinfo=UTC)
        with runtime.store.transaction() as session:
            desk = session.scalars(select(Panel).where(Panel.key == panel)).one()
            reporter = Reporter(pseudonym=f"bare-{panel}-{count}")
            refs = []
            for n in range(count):
                received = start + timedelta(minutes=n)
                report = Report(
                    ref=f"B{n:02d}-{count:03d}"[:7],
                    reporter=reporter,
                    channel="twilio_sms",
                    status="triaged",
                    received_at=received,
                    category="extortion_harassment",
                    urgency="normal",
                    ward=ward,
                )
                session.add(
                    Case(
                        report=report,
                        panel=desk,
                        acknowledge_due_at=received + timedelta(days=1),
                        resolve_due_at=received + timedelta(days=14),
                    )
                )
                refs.append(report.ref)
        return refs

    return make


def test_each_row_shows_a_redacted_excerpt_the_assignee_and_the_clock(
    reported_case, lead, client, auth, runtime
):
    ref = reported_case(EXTORTION)
    auth.post(f"/panel/cases/{ref}/assign", {"assignee": lead.email}, page=f"/panel/cases/{ref}")

    page = client.get("/panel/").get_data(as_text=True)

    assert "Askari wanaitisha hongo" in page
    assert "0722000111" not in page
    assert lead.email in page.split(ref, 1)[1]
    assert " left" in page or "overdue by" in page


def test_search_finds_words_of_the_redacted_text_only(reported_case, lead, client):
    extortion, arrest = reported_case(EXTORTION), reported_case(ARREST)

    found = client.get("/panel/?q=HONGO").get_data(as_text=True)
    by_number = client.get("/panel/?q=0722000111").get_data(as_text=True)

    assert extortion in found
    assert arrest not in found
    assert extortion not in by_number
    assert "No cases match." in by_number


def test_a_search_is_audited_without_what_was_searched_for(reported_case, lead, client, runtime):
    reported_case(EXTORTION)

    client.get("/panel/?q=hongo")

    with runtime.store.transaction() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "cases.searched")).one()
    assert event.details == {"matched": 1}
    assert "hongo" not in str(event.details)


def test_a_reference_typed_loosely_finds_its_case(reported_case, lead, client):
    ref, other = reported_case(EXTORTION), reported_case(ARREST)

    page = client.get(f"/panel/?q={ref.replace('-', '').lower()}").get_data(as_text=True)

    assert ref in page
    assert other not in page


def test_pages_hold_fifty_cases_and_say_the_total(bare_cases, lead, client):
    refs = bare_cases(55)

    first = client.get("/panel/?sort=received").get_data(as_text=True)
    second = client.get("/panel/?sort=received&page=2").get_data(as_text=True)

    assert "55 cases" in first
    assert "page 1 of 2" in first
    assert sum(ref in first for ref in refs) == 50
    assert sum(ref in second for ref in refs) == 5
    assert first.index(refs[-1]) < first.index(refs[-2])


def test_the_ward_filter_ignores_case_and_knows_unknown(bare_cases, lead, client):
    [in_pumwani] = bare_cases(1, ward="Pumwani")
    [nowhere] = bare_cases(2, ward=None)[:1]

    pumwani = client.get("/panel/?ward=pUMWANI").get_data(as_text=True)
    unknown = client.get("/panel/?ward=unknown").get_data(as_text=True)

    assert in_pumwani in pumwani
    assert nowhere not in pumwani
    assert nowhere in unknown
    assert in_pumwani not in unknown


def test_mine_and_unassigned_filters(reported_case, lead, client, auth):
    mine, free = reported_case(EXTORTION), reported_case(ARREST)
    auth.post(f"/panel/cases/{mine}/assign", {"assignee": lead.email}, page=f"/panel/cases/{mine}")

    assigned_to_me = client.get("/panel/?assignee=me").get_data(as_text=True)
    unassigned = client.get("/panel/?assignee=none").get_data(as_text=True)

    assert mine in assigned_to_me
    assert free not in assigned_to_me
    assert free in unassigned
    assert mine not in unassigned


def test_the_possible_emergency_filter(reported_case, lead, client, runtime):
    flagged, calm = reported_case(EXTORTION), reported_case(ARREST)
    with runtime.store.transaction() as session:
        session.scalars(select(Report).where(Report.ref == flagged)).one().possible_emergency = True

    page = client.get("/panel/?possible_emergency=1").get_data(as_text=True)

    assert flagged in page
    assert calm not in page


def test_a_filter_the_queue_cannot_use_is_a_400(lead, client):
    assert client.get("/panel/?sort=colour").status_code == 400
    assert client.get("/panel/?page=0").status_code == 400


def test_a_lead_acknowledges_several_cases_at_once_each_audited(reported_case, lead, auth, runtime):
    refs = [reported_case(EXTORTION), reported_case(ARREST)]

    auth.post("/panel/bulk", {"action": "acknowledge", "refs": refs}, page="/panel/")

    assert {report_by_ref(runtime, ref).case.status for ref in refs} == {"acknowledged"}
    with runtime.store.transaction() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.acknowledged")).all()
    assert sorted(str(e.details["ref"]) for e in events) == sorted(refs)


def test_a_bulk_action_skips_a_case_it_cannot_be_done_to_and_does_the_rest(
    reported_case, lead, auth, runtime
):
    done, fresh = reported_case(EXTORTION), reported_case(ARREST)
    auth.post(f"/panel/cases/{done}/acknowledge", {}, page=f"/panel/cases/{done}")

    page = auth.post("/panel/bulk", {"action": "acknowledge", "refs": [done, fresh]}, page="/panel/")

    assert report_by_ref(runtime, fresh).case.status == "acknowledged"
    assert page.status_code == 303


def test_a_lead_assigns_and_resolves_in_bulk(reported_case, lead, auth, runtime, make_user):
    member = make_user("panel_member")
    refs = [reported_case(EXTORTION), reported_case(ARREST)]

    auth.post("/panel/bulk", {"action": "assign", "assignee": member.email, "refs": refs}, page="/panel/")
    auth.post(
        "/panel/bulk",
        {"action": "resolve", "outcome": "referred", "confirm": "1", "refs": refs},
        page="/panel/",
    )

    cases = [report_by_ref(runtime, ref).case for ref in refs]
    assert all(c.assigned_user_id == member.id and c.status == "resolved" for c in cases)


def test_a_member_may_not_act_in_bulk(reported_case, make_user, auth, runtime):
    ref = reported_case(EXTORTION)
    auth.sign_in(make_user("panel_member"))

    response = auth.post("/panel/bulk", {"action": "acknowledge", "refs": [ref]}, page="/panel/")

    assert response.status_code == 403
    assert report_by_ref(runtime, ref).case.status == "open"


def test_the_csv_lists_the_filtered_cases_without_text(reported_case, lead, client):
    ref, other = reported_case(EXTORTION), reported_case(ARREST)

    answer = client.get(f"/panel/cases.csv?q={ref}")

    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert answer.mimetype == "text/csv"
    assert [row["ref"] for row in rows] == [ref]
    assert other not in answer.get_data(as_text=True)
    assert "hongo" not in answer.get_data(as_text=True)
    assert "text" not in rows[0]


def test_excerpts_shown_in_the_queue_are_audited_as_views(reported_case, lead, client, runtime):
    ref = reported_case(EXTORTION)

    client.get("/panel/")

    with runtime.store.transaction() as session:
        views = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.viewed")).all()
        user = session.get_one(User, lead.id)
    assert [(v.details["ref"], v.details.get("listed"), v.actor) for v in views] == [
        (ref, True, f"user:{user.id}")
    ]


POSSIBLE_EMERGENCY = "people are saying police are beating a boy at the chief's camp right now"


def test_triage_flags_a_possible_emergency_on_its_report_and_gives_it_the_critical_deadline(
    reported_case, runtime
):
    assert triage.classify(POSSIBLE_EMERGENCY).possible_emergency, "the message no longer reads as one"

    ref = reported_case(POSSIBLE_EMERGENCY)

    report = report_by_ref(runtime, ref)
    with runtime.store.transaction() as session:
        case = session.scalars(select(Case).where(Case.report_id == report.id)).one()
    critical_deadline, _ = triage.due_at("critical", report.received_at, runtime.sla)
    assert report.possible_emergency is True
    assert report.urgency != "critical"
    assert case.acknowledge_due_at == critical_deadline


def test_possible_emergencies_come_right_after_critical_cases_in_the_queue(reported_case, lead, client):
    grave = reported_case(ARREST)
    possible = reported_case(POSSIBLE_EMERGENCY)
    critical = reported_case("Polisi wanampiga kijana sasa hivi Gikomba, anavuja damu")

    rows = csv.DictReader(io.StringIO(client.get("/panel/cases.csv?sort=urgency").get_data(as_text=True)))

    assert [row["ref"] for row in rows] == [critical, possible, grave]
