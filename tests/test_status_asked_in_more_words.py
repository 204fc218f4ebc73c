"""A status asked in words the keywords missed ("Hakuna jibu bado?", "Angalia K7F-3QX", Somali
"Waa maxay xaaladda warbixintayda?"), or with the reference typed onto the keyword
("hali2BX6RY"), is answered as STATUS / HALI / XAALAD answer it, and opens nothing; the
reference typed onto what follows it ("K7F-3QXwalikuja") adds that to the report. A message
that tells of harm besides is kept."""

from __future__ import annotations

import pytest

from storage import Report
from tests.helpers import count, decrypted_text, reference_in, thread_length

REPORT = "Askari wanaitisha hongo kila siku sokoni Gikomba"
KEYWORD = {"en": "STATUS", "sw": "HALI", "so": "XAALAD"}


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Hakuna jibu bado?", "sw"),
        ("No reply yet?", "en"),
        ("Angalia {ref}", "sw"),
        ("hali{compact}", "sw"),
        ("Ripoti yangu {ref} bado hakuna jibu?", "sw"),
        ("Waa maxay xaaladda warbixintayda?", "so"),
        ("Warbixintaydii maxaa ka dhacay?", "so"),
        ("Ma jiraa war cusub?", "so"),
        ("xaalada warbixinta", "so"),
    ],
)
def test_a_status_asked_so_is_answered_as_the_keyword_answers_it(send_sms, runtime, question, language):
    ref = reference_in(send_sms(REPORT).text)

    answer = send_sms(question.format(ref=ref, compact=ref.replace("-", ""))).text

    assert answer == send_sms(f"{KEYWORD[language]} {ref}").text
    assert count(runtime, Report) == 1
    assert thread_length(runtime, ref) == 1


def test_a_reference_typed_onto_the_next_word_adds_the_rest_to_the_report(send_sms, runtime):
    ref = reference_in(send_sms(REPORT).text)

    send_sms(f"{ref}walikuja tena usiku")

    assert count(runtime, Report) == 1
    assert "walikuja tena usiku" in decrypted_text(runtime, ref)


@pytest.mark.parametrize(
    "message",
    ["Hakuna jibu bado, wamerudi tena usiku", "Ripoti yangu {ref} bado hakuna jibu, wamemshika tena"],
)
def test_a_status_question_that_tells_of_harm_is_kept(send_sms, runtime, message):
    ref = reference_in(send_sms(REPORT).text)

    send_sms(message.format(ref=ref))

    assert count(runtime, Report) + thread_length(runtime, ref) == 3
