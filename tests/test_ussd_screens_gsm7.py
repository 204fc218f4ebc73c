"""A USSD screen that repeats words from outside (the report being confirmed, a panel's answer)
keeps to the GSM-7 alphabet, so that the network sends it whole: one emoji or curly quote
would make the whole screen UCS-2, which holds less than half as many characters."""

from __future__ import annotations

from channels.ussd import USSD_SCREEN_LIMIT
from storage.segments import is_gsm7, units
from tests.helpers import decrypted_text, only_report

TYPED = "Polisi 👮 waliniitisha hongo ya 1,000/= 😡 “kesho” — Gikomba"


def test_the_confirm_screen_previews_a_report_with_emoji_in_gsm7_and_keeps_its_menu(dial):
    confirm = dial(["1", "3", TYPED]).text

    assert is_gsm7(confirm)
    assert units(confirm) <= USSD_SCREEN_LIMIT
    assert '"Polisi waliniitisha hongo ya 1,000/= "kesho" - Gikomba"' in confirm
    assert confirm.endswith("1. Send\n2. Cancel\n0. Back")


def test_the_report_is_stored_as_typed_whatever_its_preview_showed(dial, runtime):
    dial(["1", "3", TYPED, "1"])

    assert decrypted_text(runtime, only_report(runtime).ref) == TYPED


def test_a_long_preview_is_cut_after_a_word_with_dots_a_phone_can_show(dial):
    words = "Askari wa kaunti wanachukua bidhaa zetu kila asubuhi bila sababu yoyote ile sokoni"

    confirm = dial(["1", "3", words]).text

    assert is_gsm7(confirm)
    assert '"Askari wa kaunti wanachukua bidhaa zetu kila asubuhi bila..."' in confirm


def test_a_panel_answer_with_emoji_is_shown_in_gsm7_when_the_report_is_checked(
    dial, runtime, answered_by_panel
):
    dial(["1", "3", "Askari wanaitisha hongo kila siku sokoni Gikomba", "1"], session_id="ATUid_made")
    ref = only_report(runtime).ref
    answered_by_panel(ref, "Tumepokea 🙏 asante — tutawasiliana na “OCS” leo")

    checked = dial(["2", ref], session_id="ATUid_checked").text

    assert checked.startswith("END ")
    assert is_gsm7(checked)
    assert 'Tumepokea asante - tutawasiliana na "OCS" leo' in checked
