"""A message longer than a report keeps (4,096 characters) is not refused, which would lose it
(a gateway does not retry a 400): it opens its report, cut after a whole word with a mark that
shows it was cut, over Twilio and over Africa's Talking alike."""

from __future__ import annotations

from channels.long_bodies import CUT_MARK
from channels.web import MAX_BODY_CHARS
from storage import Report
from tests.helpers import count, decrypted_text, only_report, reference_in

# Over 5,000 characters of whole words: "Askari walinipiga Gikomba siku0 siku1 ... siku799".
LONG_REPORT = "Askari walinipiga Gikomba " + " ".join(f"siku{day}" for day in range(800))


def test_a_twilio_sms_longer_than_the_limit_opens_its_report(send_sms, runtime):
    response = send_sms(LONG_REPORT)

    assert response.status_code == 200
    reference_in(response.text)
    assert count(runtime, Report) == 1


def test_a_long_message_is_kept_cut_after_a_whole_word_with_a_mark(send_sms, runtime):
    ref = reference_in(send_sms(LONG_REPORT).text)

    kept = decrypted_text(runtime, ref)

    assert len(kept) <= MAX_BODY_CHARS
    assert kept.endswith(CUT_MARK)
    assert LONG_REPORT.startswith(kept.removesuffix(CUT_MARK) + " ")


def test_a_long_message_of_one_word_is_cut_within_it(send_sms, runtime):
    ref = reference_in(send_sms("x" * 5000).text)

    assert decrypted_text(runtime, ref) == "x" * (MAX_BODY_CHARS - len(CUT_MARK)) + CUT_MARK


def test_a_message_at_the_limit_is_kept_whole(send_sms, runtime):
    whole = ("Askari walinipiga Gikomba " * 200)[:MAX_BODY_CHARS]

    ref = reference_in(send_sms(whole).text)

    assert decrypted_text(runtime, ref) == whole.strip()


def test_an_africastalking_sms_longer_than_the_limit_opens_its_report(text_africastalking, runtime):
    answer = text_africastalking(LONG_REPORT)

    assert reference_in(answer) == only_report(runtime).ref
    assert decrypted_text(runtime, only_report(runtime).ref).endswith(CUT_MARK)
