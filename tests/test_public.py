"""The public transparency page: open to anyone, counts by category and ward per month and
per-panel response times, with every cell under five reports suppressed."""

from __future__ import annotations

import importlib
import re
from collections import Counter
from datetime import UTC, datetime

import pytest
import time_machine

from storage.reporting.public import SMALL_CELL
from workers.sla import sweep_sla

TODAY = datetime(2026, 5, 1, tzinfo=UTC)


@pytest.fixture
def page(client, casebook) -> str:
    with time_machine.travel(TODAY, tick=False):
        answer = client.get("/transparency")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def table(page: str, name: str) -> dict[str, list[str]]:
    """The table's rows by the key in their first column (the header row under its title)."""
    html = re.search(rf'id="table-{name}".*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    shown = {}
    for row in rows:
        key = re.search(r'data-key="([^"]*)"', row)
        cells = [c.replace("&lt;", "<") for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        shown[key.group(1) if key else name.removeprefix("reports-by-")] = cells[1:]
    return shown


@pytest.mark.parametrize("dimension", ["category", "ward"])
def test_counts_by_month_show_only_cells_of_five_or_more(page, casebook, dimension):
    shown = table(page, f"reports-by-{dimension}")
    months = shown.pop(dimension)
    counts = Counter(
        (getattr(row, dimension) or "unknown", row.received_at.strftime("%Y-%m")) for row in casebook
    )

    assert months == sorted({m for _, m in counts})
    for key, cells in shown.items():
        for month, cell in zip(months, cells, strict=True):
            real = counts[(key, month)]
            assert cell == (str(real) if real >= SMALL_CELL else "<5"), (key, month)
    assert any(cell == "<5" for cells in shown.values() for cell in cells)


def test_each_panel_shows_medians_and_compliance(page, casebook):
    panels = table(page, "panels")
    panels.pop("panels")
    cases = Counter(row.panel for row in casebook)

    assert set(panels) == set(cases)
    for panel, cells in panels.items():
        assert cells[0] == str(cases[panel])
        assert re.fullmatch(r"\d+\.\d\d", cells[1])
        assert cells[4].endswith("%")
    assert page.count("<svg") == 2


def test_a_panel_with_fewer_than_five_cases_shows_nothing_but_suppression(client, send_sms, run_jobs):
    for text in ("Polisi walimkamata kijana wangu Eastleigh", "Askari wanaitisha hongo Pumwani"):
        send_sms(text)
    run_jobs()
    sweep_sla()

    page = client.get("/transparency").get_data(as_text=True)

    panels = table(page, "panels")
    panels.pop("panels")
    assert panels
    assert all(cells[0] == "<5" and set(cells[1:]) == {"–"} for cells in panels.values())
    assert "<svg" not in page
    assert 'id="no-charts"' in page
    for name in ("category", "ward"):
        cells = table(page, f"reports-by-{name}")
        cells.pop(name)
        assert all(cell == "<5" for row in cells.values() for cell in row)


def test_it_needs_no_sign_in_and_shows_no_text_or_number(client, send_sms, run_jobs):
    send_sms("Askari wanaitisha hongo sokoni Gikomba, nipigie 0722333444")
    run_jobs()
    sweep_sla()

    page = client.get("/transparency").get_data(as_text=True)

    assert "<5" in page
    for secret in ("hongo", "sokoni", "nipigie", "722333444", "712345678"):
        assert secret not in page


def test_its_figures_are_computed_at_most_once_every_few_minutes(client, monkeypatch):
    public = importlib.import_module("app.public")  # the package name is shadowed by its blueprint
    computed = []
    real = public.figures
    monkeypatch.setattr(public, "figures", lambda: computed.append(1) or real())

    for _ in range(3):
        assert client.get("/transparency").status_code == 200

    assert len(computed) == 1


def visible_text(page: str) -> str:
    """What a visitor reads: the page without its tags and attributes."""
    return re.sub(r"<[^>]+>", " ", page)


def test_it_names_topics_and_panels_as_people_do_never_by_key(page, runtime):
    text = visible_text(page)

    for key in ("arrest_detention", "extortion_harassment", "police-accountability", "emergency-desk"):
        assert key not in text
    assert "arrest or detention" in text
    assert "Police Accountability Panel" in text


def test_a_visitor_switches_it_to_kiswahili(client, casebook):
    with time_machine.travel(TODAY, tick=False):
        page = client.get("/transparency?lang=sw").get_data(as_text=True)

    assert 'lang="sw"' in page
    assert "Jinsi ya kuripoti" in page
    assert "Jopo la Uwajibikaji wa Polisi" in visible_text(page)


def test_it_says_how_to_report_with_the_codes_configured(make_app):
    app = make_app(SAUTI_PUBLIC_SMS_CODE="40404", SAUTI_PUBLIC_USSD_CODE="*483*77#")

    page = app.test_client().get("/transparency").get_data(as_text=True)

    assert 'id="sms-code">40404<' in page
    assert 'id="ussd-code">*483*77#<' in page
    assert "HALI K7F-3QX" not in page
    assert "STATUS K7F-3QX" in page


def test_an_on_time_share_resting_on_fewer_than_five_cases_is_withheld(
    client, send_sms, run_jobs, make_user, api_token
):
    for n in range(5):
        send_sms("Askari wanaitisha hongo kila siku sokoni Gikomba", sender=f"+25471200000{n}")
    run_jobs()
    token = api_token(make_user("panel_lead", ("police-accountability",)))
    headers = {"Authorization": f"Bearer {token}"}
    ref = client.get("/api/v1/cases", headers=headers).json["cases"][0]["ref"]
    answer = client.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "resolve", "outcome": "answered", "confirm": True},
        headers=headers,
    )
    assert answer.status_code == 200, answer.json
    sweep_sla()

    panels = table(client.get("/transparency").get_data(as_text=True), "panels")

    cells = panels["police-accountability"]
    assert cells[0] == "5"
    assert not any(cell.endswith("%") for cell in cells)
