"""The case page names things apart: the timeline says whom a case was assigned to (or that it
was unassigned) besides who did it, and the escalation's and the transfer's reasons are two
fields with two labels."""

from __future__ import annotations

import re
from html import unescape

CASE_PAGE = "/panel/cases/{ref}"


def timeline_of(page: str) -> list[str]:
    section = re.search(r'<ol class="timeline">(.*?)</ol>', page, re.S)
    assert section
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", section.group(1))]


def test_the_timeline_says_whom_the_case_was_assigned_to_and_by_whom(reported_case, make_user, auth, client):
    ref = reported_case()
    member = make_user("panel_member")
    lead = make_user("panel_lead")
    auth.sign_in(lead)
    page = CASE_PAGE.format(ref=ref)

    auth.post(f"{page}/assign", {"assignee": member.email}, page=page)
    auth.post(f"{page}/assign", {"assignee": ""}, page=page)

    entries = timeline_of(unescape(client.get(page).get_data(as_text=True)))
    assert any(f"assigned to {member.email} · {lead.email}" in entry for entry in entries)
    assert any(f"unassigned · {lead.email}" in entry for entry in entries)


def test_the_reasons_to_escalate_and_to_transfer_are_labelled_apart(reported_case, make_user, auth, client):
    ref = reported_case()
    auth.sign_in(make_user("panel_lead"))

    page = unescape(client.get(CASE_PAGE.format(ref=ref)).get_data(as_text=True))

    escalate = re.search(r'<label for="escalate-reason">([^<]+)</label>', page)
    transfer = re.search(r'<label for="transfer-reason">([^<]+)</label>', page)
    assert escalate
    assert transfer
    assert escalate.group(1) != transfer.group(1)
    assert "escalate" in escalate.group(1).lower()
    assert "transfer" in transfer.group(1).lower()
