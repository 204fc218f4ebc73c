"""The staff pages in Kiswahili for a person who chose it: error pages, the queue's redaction
tags, panel names and sort orders."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage import Panel, User


@pytest.fixture
def mswahili(make_user, auth, runtime):
    account = make_user("panel_lead")
    with runtime.store.transaction() as session:
        session.get_one(User, account.id).language = "sw"
    auth.sign_in(account)
    return account


def test_an_error_page_reads_in_kiswahili(mswahili, client):
    page = client.get("/panel/cases/K7F-3QX").get_data(as_text=True)

    assert "Haipatikani" in page
    assert "Rudi mwanzo" in page


def test_the_queue_names_redactions_panels_and_orders_in_kiswahili(mswahili, reported_case, client, runtime):
    reported_case("Askari wanaitisha hongo kila siku sokoni Gikomba, nipigie 0722000111")
    with runtime.store.transaction() as session:
        name_sw = session.scalars(select(Panel).where(Panel.key == "police-accountability")).one().name_sw

    page = client.get("/panel/").get_data(as_text=True)

    assert "[simu]" in page
    assert "[phone]" not in page
    assert name_sw in page
    assert "uharaka, kisha muda wa mwisho" in page
    assert "kesi 1" in page


def test_the_transfer_list_names_panels_in_kiswahili(mswahili, reported_case, client, runtime):
    ref = reported_case()
    with runtime.store.transaction() as session:
        desk = session.scalars(select(Panel).where(Panel.key == "emergency-desk")).one()
        name_en, name_sw = desk.name, desk.name_sw

    page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert f'<option value="emergency-desk">{name_sw}</option>' in page
    assert name_en not in page
