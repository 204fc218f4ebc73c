"""A lead's case page drawn before a colleague assigned the case does not silently take it from
the person it went to: the assignment is refused, 409, and the page drawn again says who has it
now. A page drawn with the case as it is, and a bulk assignment, still assign."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from storage import Case, Report
from tests.fixtures.staff import csrf_token_of

DRAWN_ASSIGNEE = re.compile(r'name="from_assignee" value="([^"]*)"')


def open_tab(client, ref: str) -> dict[str, str]:
    """The assign form as a tab that has the case open holds it: its token and what it was drawn with."""
    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)
    drawn = DRAWN_ASSIGNEE.search(page)
    assert drawn, "the assign form says nothing of the assignee it was drawn with"
    return {"csrf_token": csrf_token_of(page), "from_assignee": unescape(drawn.group(1))}


def assign_from(client, tab: dict[str, str], ref: str, email: str):
    return client.post(f"/panel/cases/{ref}/assign", data={**tab, "assignee": email})


def assignee_of(runtime, ref: str) -> str | None:
    with runtime.store.transaction() as session:
        case = session.scalars(select(Case).join(Case.report).where(Report.ref == ref)).one()
        return case.assignee.email if case.assignee else None


def test_assigning_from_a_page_drawn_before_someone_else_was_assigned_is_refused_naming_them(
    reported_case, make_user, auth, client, runtime
):
    ref = reported_case()
    first, second = make_user("panel_member"), make_user("panel_member")
    auth.sign_in(make_user("panel_lead"))
    tab_a, tab_b = open_tab(client, ref), open_tab(client, ref)
    assert assign_from(client, tab_a, ref, first.email).status_code == 303

    answer = assign_from(client, tab_b, ref, second.email)

    assert answer.status_code == 409
    page = unescape(answer.get_data(as_text=True))
    assert f"someone assigned the case to {first.email} after you opened it" in page
    assert re.search(rf'id="assignee">{re.escape(first.email)}<', page)
    assert assignee_of(runtime, ref) == first.email


def test_unassigning_from_a_page_drawn_before_someone_was_assigned_is_refused(
    reported_case, make_user, auth, client, runtime
):
    ref = reported_case()
    member = make_user("panel_member")
    auth.sign_in(make_user("panel_lead"))
    tab_a, tab_b = open_tab(client, ref), open_tab(client, ref)
    assign_from(client, tab_a, ref, member.email)

    answer = assign_from(client, tab_b, ref, "")

    assert answer.status_code == 409
    assert assignee_of(runtime, ref) == member.email


def test_reassigning_from_a_page_drawn_with_the_case_as_it_is_assigns(
    reported_case, make_user, auth, client, runtime
):
    ref = reported_case()
    first, second = make_user("panel_member"), make_user("panel_member")
    auth.sign_in(make_user("panel_lead"))
    assign_from(client, open_tab(client, ref), ref, first.email)

    answer = assign_from(client, open_tab(client, ref), ref, second.email)

    assert answer.status_code == 303
    assert assignee_of(runtime, ref) == second.email


def test_a_bulk_assignment_which_draws_no_case_still_reassigns(reported_case, make_user, auth, runtime):
    ref = reported_case()
    first, second = make_user("panel_member"), make_user("panel_member")
    auth.sign_in(make_user("panel_lead"))
    auth.post(f"/panel/cases/{ref}/assign", {"assignee": first.email}, page=f"/panel/cases/{ref}")

    auth.post("/panel/bulk", {"action": "assign", "assignee": second.email, "refs": ref}, page="/panel/")

    assert assignee_of(runtime, ref) == second.email


def test_the_refusal_reads_in_the_leads_language(reported_case, make_user, lead_in_kiswahili, client):
    ref = reported_case()
    member, other = make_user("panel_member"), make_user("panel_member")
    tab_a, tab_b = open_tab(client, ref), open_tab(client, ref)
    assign_from(client, tab_a, ref, member.email)

    answer = assign_from(client, tab_b, ref, other.email)

    assert answer.status_code == 409
    assert f"mtu mwingine alimkabidhi {member.email} kesi" in unescape(answer.get_data(as_text=True))
