"""A note, reason or reply is as long as its box counted it: a browser posts each line break as
CR LF, but its box counted it as one character, and so does the server. Text over the limit
all the same comes back on the case page with the reason, in its box as it was typed."""

from __future__ import annotations

from html import unescape

from sqlalchemy import select

from storage import CaseNote
from storage.casework.actions import MAX_NOTE_CHARS, open_note
from tests.fixtures.staff import csrf_token_of
from tests.helpers import report_by_ref

# A full box as a browser posts it: 3999 letters and a line break, 4000 characters to its box.
FULL_NOTE = "n" * 3000 + "\r\n" + "n" * 999


def post_from_the_page(client, ref: str, action: str, data: dict[str, str]):
    token = csrf_token_of(client.get(f"/panel/cases/{ref}").get_data(as_text=True))
    return client.post(f"/panel/cases/{ref}/{action}", data={**data, "csrf_token": token})


def notes(runtime, ref: str) -> list[str]:
    report = report_by_ref(runtime, ref)
    with runtime.store.transaction() as session:
        found = session.scalars(select(CaseNote).where(CaseNote.case_id == report.case.id))
        return [open_note(runtime.store.keys, report, note) for note in found]


def test_a_note_with_line_breaks_that_fills_its_box_is_kept(reported_case, make_user, auth, client, runtime):
    ref = reported_case()
    auth.sign_in(make_user())
    assert len(FULL_NOTE.replace("\r\n", "\n")) == MAX_NOTE_CHARS

    answer = post_from_the_page(client, ref, "note", {"text": FULL_NOTE})

    assert answer.status_code == 303
    assert notes(runtime, ref) == [FULL_NOTE.replace("\r\n", "\n")]


def test_a_reason_with_line_breaks_that_fills_its_box_is_taken(reported_case, make_user, auth, client):
    ref = reported_case()
    auth.sign_in(make_user())

    answer = post_from_the_page(client, ref, "escalate", {"reason": FULL_NOTE})

    assert answer.status_code == 303


def test_a_note_over_its_length_comes_back_in_its_box_with_the_reason(
    reported_case, make_user, auth, client, runtime
):
    ref = reported_case()
    auth.sign_in(make_user())
    typed = "m" * (MAX_NOTE_CHARS + 1)

    answer = post_from_the_page(client, ref, "note", {"text": typed})

    page = unescape(answer.get_data(as_text=True))
    assert answer.status_code == 400
    assert f"text is longer than {MAX_NOTE_CHARS} characters" in page
    assert f">{typed}</textarea>" in page
    assert notes(runtime, ref) == []
