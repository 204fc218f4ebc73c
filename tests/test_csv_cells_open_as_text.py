"""A CSV export never hands a spreadsheet a formula: a cell that begins with = + - @, a tab or
a carriage return is written with a ' before it, wherever the text came from, while numbers
stay numbers. An address beginning with = + or - is no one's, and no account is made for it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from html import unescape

import pytest
from sqlalchemy import select

from app.csv_export import csv_text
from storage import Case, Panel, Report, User
from storage.reporting.summaries import refresh_summaries
from tests.helpers import count

FORMULA_ADDRESS = '=HYPERLINK("http://e.x")@x.org'


@pytest.fixture
def auditor(make_user, auth):
    auth.sign_in(make_user("auditor", ()))


def csv_rows(answer) -> list[dict[str, str]]:
    assert answer.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))


@pytest.mark.parametrize("address", [FORMULA_ADDRESS, "+1-2@x.org", "-sum(a1)@x.org"])
def test_an_invitation_to_an_address_that_is_a_formula_is_refused(make_user, auth, runtime, address):
    auth.sign_in(make_user("admin", ()))
    accounts = count(runtime, User)

    answer = auth.post(
        "/admin/users",
        {"email": address, "role": "panel_member", "method": "link", "panels": ["police-accountability"]},
    )

    assert answer.status_code == 400
    assert "give an email address, like name@example.org" in unescape(answer.get_data(as_text=True))
    assert count(runtime, User) == accounts


def test_an_assignee_whose_address_is_a_formula_reaches_the_queue_csv_as_text(
    reported_case, make_user, auth, client, runtime
):
    ref = reported_case()
    with runtime.store.transaction() as session:
        # An account made before addresses were checked for formulas.
        desk = session.scalars(select(Panel).where(Panel.key == "police-accountability")).one()
        member = User(email=FORMULA_ADDRESS.lower(), role="panel_member", password_hash="-", panels=[desk])
        session.add(member)
        session.flush()
        session.scalars(select(Report).where(Report.ref == ref)).one().case.assigned_user_id = member.id
    auth.sign_in(make_user("panel_lead"))

    [row] = csv_rows(client.get("/panel/cases.csv"))

    assert row["assignee"] == "'" + FORMULA_ADDRESS.lower()
    assert row["ref"] == ref


def test_a_panel_key_that_reads_as_a_formula_reaches_the_audit_csv_as_text(
    reported_case, auditor, client, runtime
):
    ref = reported_case()
    with runtime.store.transaction() as session:
        desk = Panel(key="-desk", name="Minus desk", name_sw="Minus desk")
        session.add(desk)
        session.flush()
        session.scalars(select(Case).join(Report).where(Report.ref == ref)).one().panel_id = desk.id
    with runtime.store.transaction() as session:
        refresh_summaries(session, datetime.now(UTC))

    [row] = csv_rows(client.get("/audit/export/response-times.csv?group_by=panel"))

    assert row["panel"] == "'-desk"
    assert row["cases"] == "1"


def test_numbers_stay_numbers_and_text_that_could_run_is_marked():
    written = csv_text(
        ["figure"], [["-3.25"], ["+4"], ["-12%"], ["-"], ["@SUM(A1)"], ["\tx"], ["\rx"], ["a-b"]]
    )

    assert [row[0] for row in csv.reader(io.StringIO(written))][1:] == [
        "-3.25",
        "+4",
        "-12%",
        "'-",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "a-b",
    ]
