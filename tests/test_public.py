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
    html = re.search(rf'id="table-{name}".*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in rows]
    return {row[0]: [c.replace("&lt;", "<") for c in row[1:]] for row in cells}


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
    panels.pop("panel")
    cases = Counter(row.panel for row in casebook)

    assert set(panels) == set(cases)
    for panel, cells in panels.items():
        assert cells[0] == str(cases[panel])
        assert re.fullmatch(r"\d+\.\d", cells[1])
        assert cells[4].endswith("%")
    assert page.count("<svg") == 2


def test_a_panel_with_fewer_than_five_cases_shows_nothing_but_suppression(client, send_sms, run_jobs):
    for text in ("Polisi walimkamata kijana wangu Eastleigh", "Askari wanaitisha hongo Pumwani"):
        send_sms(text)
    run_jobs()
    sweep_sla()

    page = client.get("/transparency").get_data(as_text=True)

    panels = table(page, "panels")
    panels.pop("panel")
    assert panels
    assert all(cell == "<5" for cells in panels.values() for cell in cells)
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
