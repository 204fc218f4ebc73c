"""The status answer carries as much of the panel's answer as one SMS holds: an emoji in it is
left out rather than making the SMS UCS-2 (70 characters instead of 160), and a long answer is
cut after a whole word."""

from __future__ import annotations

import html

from storage.segments import fits_one_segment, is_gsm7
from tests.helpers import reference_in

REPORT = "Askari wanaitisha hongo kila siku sokoni Gikomba"
WITH_AN_EMOJI = "Tumeongea na OCS wa Kamukunji \U0001f44d kijana ataachiliwa leo"
LONG = (
    "Tumepokea ripoti yako na tumeiwasilisha kwa kamati ya polisi ya Kamukunji leo asubuhi. "
    "Usilipe hongo yoyote; tupigie simu ukitishwa tena."
)


def message_of(twiml: str) -> str:
    return html.unescape(twiml.split("<Message>")[1].split("</Message>")[0])


def test_an_emoji_in_the_panels_answer_costs_none_of_its_words(send_sms, answered_by_panel):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref, WITH_AN_EMOJI)

    answer = message_of(send_sms(f"status {ref}").text)

    assert answer.endswith("Tumeongea na OCS wa Kamukunji kijana ataachiliwa leo")
    assert is_gsm7(answer)


def test_a_long_answer_is_cut_after_a_whole_word(send_sms, answered_by_panel):
    ref = reference_in(send_sms(REPORT).text)
    answered_by_panel(ref, LONG)

    answer = message_of(send_sms(f"hali {ref}").text)

    assert fits_one_segment(answer)
    assert answer.endswith("...")
    told = answer.removesuffix("...").split("Jibu: ")[1]
    assert LONG.startswith(told)
    assert LONG[len(told)] == " "
