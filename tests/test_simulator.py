"""`flask sim sms` and `flask sim ussd` drive the real webhooks over HTTP, signed."""

from __future__ import annotations

from storage import Report
from tests.helpers import count, only_report


def test_sim_sms_gets_the_reference_back_from_the_running_server(app, live_server, runtime):
    runner = app.test_cli_runner()

    result = runner.invoke(
        args=["sim", "sms", "+254712345678", "Polisi walimchukua kijana wangu", "--url", live_server]
    )

    assert result.exit_code == 0, result.output
    assert only_report(runtime).ref in result.output


def test_sim_sms_through_africastalking_is_stored(app, live_server, runtime):
    args = [
        "sim",
        "sms",
        "+254712345678",
        "Askari wanaitisha hongo",
        "--url",
        live_server,
        "--gateway",
        "africastalking",
    ]

    result = app.test_cli_runner().invoke(args=args)

    assert result.exit_code == 0, result.output
    assert count(runtime, Report) == 1


def test_sim_ussd_walks_the_menu_to_a_reference(app, live_server, runtime):
    typed = "\n".join(["1", "3", "Askari wa Gikomba wanaitisha hongo", "1"]) + "\n"

    result = app.test_cli_runner().invoke(
        args=["sim", "ussd", "+254712345678", "--url", live_server], input=typed
    )

    assert result.exit_code == 0, result.output
    assert "Sauti - report safely" in result.output
    assert f"Your ref: {only_report(runtime).ref}" in result.output


def test_sim_says_how_to_start_the_server_when_none_answers(app):
    result = app.test_cli_runner().invoke(
        args=["sim", "sms", "+254712345678", "hello", "--url", "http://127.0.0.1:9"]
    )

    assert result.exit_code != 0
    assert "make run" in result.output
