"""Keywords that forgive: HELP, a status request however it is typed, a lone reference and an
empty message each get an answer and open nothing; only text that is no command is a report."""

from __future__ import annotations

import pytest

from channels.keywords import Empty, Help, NewReport, Rate, Status, parse_command
from storage import Report
from tests.helpers import count, reference_in

OTHER_NUMBER = "+254722000111"
REPORT = "Askari wanaitisha hongo kila siku sokoni Gikomba"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("HELP", Help("en")),
        ("info?", Help("en")),
        ("msaada", Help("sw")),
        ("status", Status(None, "", "en")),
        ("Hali", Status(None, "", "sw")),
        ("STATUS XXX-YYY", Status(None, "XXX-YYY", "en")),
        ("status k7f 3qx", Status("K7F-3QX", "k7f 3qx", "en")),
        ("STATUS K7F-3QO", Status(None, "K7F-3QO", "en")),
        ("STATUS K7F-31X", Status(None, "K7F-31X", "en")),
        ("STATUS K7F3QXX", Status(None, "K7F3QXX", "en")),
        ("k7f-3qx", Status("K7F-3QX", "k7f-3qx", None)),
        ("XXX-YYY", Status(None, "XXX-YYY", None)),
        ("   ", Empty()),
        ("KADIRIA K7F-3QX 5", Rate("K7F-3QX", 5, "sw")),
        ("RATE 5", Rate(None, 5, "en")),
        ("Help! They are beating him at Pumwani", NewReport("Help! They are beating him at Pumwani")),
        ("Hali ni mbaya sana Eastleigh", NewReport("Hali ni mbaya sana Eastleigh")),
        ("Rate of arrests is rising", NewReport("Rate of arrests is rising")),
        ("police", NewReport("police")),
    ],
)
def test_what_looks_like_a_command_is_read_as_one(body, expected):
    assert parse_command(body) == expected


def test_help_lists_the_commands_and_opens_nothing(send_sms, runtime):
    answer = send_sms("HELP").text

    assert all(word in answer for word in ("STATUS", "RATE", "STOP"))
    assert count(runtime, Report) == 0


def test_msaada_lists_the_commands_in_kiswahili(send_sms, runtime):
    answer = send_sms("Msaada").text

    assert all(word in answer for word in ("HALI", "KADIRIA", "ACHA"))
    assert count(runtime, Report) == 0


def test_info_by_africastalking_lists_the_commands_and_opens_nothing(text_africastalking, runtime):
    answer = text_africastalking("INFO")

    assert "STATUS <ref>" in answer
    assert count(runtime, Report) == 0


@pytest.mark.parametrize(
    "body", ["STATUS XXX-YYY", "status k7f 3qx", "HALI K7F-3Q0", "STATUS K7F-3QI", "ZZZ-999"]
)
def test_a_status_request_with_an_unknown_reference_opens_nothing(send_sms, runtime, body):
    answer = send_sms(body).text

    assert "no report of yours has the reference" in answer or "hakuna ripoti yako" in answer
    assert count(runtime, Report) == 0


def test_a_status_keyword_alone_explains_how_to_check(send_sms, runtime):
    answer = send_sms("status").text

    assert "STATUS and its reference" in answer
    assert count(runtime, Report) == 0


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("statsu K7F-3QX", Status("K7F-3QX", "K7F-3QX", "en")),
        ("STATS k7f 3qx", Status("K7F-3QX", "k7f 3qx", "en")),
        ("xalad k7f3qx", Status("K7F-3QX", "k7f3qx", "so")),
        ("Kadiri K7F-3QX 4", Rate("K7F-3QX", 4, "sw")),
        ("statsu", Status(None, "", "en")),
        ("msada", Help("sw")),
        ("stpo", Help("en")),
        ("Statue ya Kenyatta imechafuliwa", NewReport("Statue ya Kenyatta imechafuliwa")),
        ("Kadiri ya vijana 2000 walikamatwa", NewReport("Kadiri ya vijana 2000 walikamatwa")),
    ],
)
def test_a_mistyped_keyword_is_read_as_one_only_alone_or_before_a_reference(body, expected):
    assert parse_command(body) == expected


def test_a_mistyped_status_request_tells_the_status_and_opens_nothing(send_sms, runtime):
    ref = reference_in(send_sms(REPORT).text)

    answer = send_sms(f"statsu {ref}").text

    assert f"Sauti {ref}: received" in answer
    assert count(runtime, Report) == 1


def test_a_lone_reference_is_a_status_request(send_sms, runtime):
    ref = reference_in(send_sms(REPORT).text)

    answer = send_sms(ref.lower().replace("-", " ")).text

    assert f"Sauti {ref}: received" in answer
    assert count(runtime, Report) == 1


def test_an_empty_message_by_africastalking_gets_a_prompt_and_opens_nothing(text_africastalking, runtime):
    assert "empty" in text_africastalking("  ")
    assert count(runtime, Report) == 0


def test_a_status_request_by_africastalking_is_answered_by_sms(text_africastalking, runtime):
    ref = reference_in(text_africastalking(REPORT))

    assert f"Sauti {ref}: " in text_africastalking(f"hali {ref}")
    assert count(runtime, Report) == 1


@pytest.mark.usefixtures("early_in_the_hour")
def test_look_ups_past_the_hourly_limit_tell_nothing(make_app, send_sms_to, runtime):
    client = make_app(SAUTI_LOOKUPS_PER_HOUR="2").test_client()
    ref = reference_in(send_sms_to(client, REPORT).text)
    send_sms_to(client, "STATUS ZZZ-999")
    send_sms_to(client, "STATUS ZZZ-998")

    answer = send_sms_to(client, f"STATUS {ref}").text

    assert "too many checks" in answer
    assert ref not in answer


@pytest.mark.usefixtures("early_in_the_hour")
def test_the_limit_is_per_number(make_app, send_sms_to):
    client = make_app(SAUTI_LOOKUPS_PER_HOUR="1").test_client()
    send_sms_to(client, "STATUS ZZZ-999")

    assert "no report of yours" in send_sms_to(client, "STATUS ZZZ-999", sender=OTHER_NUMBER).text


@pytest.mark.usefixtures("early_in_the_hour")
def test_ussd_look_ups_count_against_the_same_limit(make_app, send_sms_to, runtime):
    client = make_app(SAUTI_LOOKUPS_PER_HOUR="1").test_client()
    send_sms_to(client, "STATUS ZZZ-999")
    form = {"sessionId": "ATUid_limit", "phoneNumber": "+254712345678", "text": "2*ZZZ999"}

    answer = client.post("/channels/ussd?secret=test-africastalking-secret", data=form).text

    assert answer.startswith("END Too many checks")


def test_ussd_unknown_reference_opens_nothing(dial, runtime):
    assert dial(["2", "XXX-YYY"]).text.startswith("END No report of yours has the reference XXX-YYY")
    assert count(runtime, Report) == 0


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("STATUS XXX-YYY", "no report of yours has the reference XXX-YYY"),
        ("hali k7f 3q0", "hakuna ripoti yako yenye namba k7f 3q0"),
        ("XAALAD K7F-3QI", "warbixin taada ah oo leh tixraaca K7F-3QI ma jirto"),
    ],
)
def test_an_unknown_reference_by_africastalking_is_answered_in_the_keywords_language(
    text_africastalking, runtime, body, expected
):
    assert expected in text_africastalking(body)
    assert count(runtime, Report) == 0
