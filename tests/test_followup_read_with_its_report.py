"""A follow-up is read after its report's own words: "they came again today" after a report of
bribes tells of bribes again, not of an emergency, while "they are back now, beating him"
tells of danger now whatever the report was about."""

from __future__ import annotations

import pytest

from tests.helpers import cases, outbound, report_by_ref

BRIBES_AT_GIKOMBA = "Askari wa kanjo wanaitisha hongo kila siku Gikomba, tunateseka"
BRIBES_AT_THE_STAGE = "Police at the stage take bribes from matatu drivers every day"
BEATEN_LAST_YEAR = "Mwaka jana askari walimpiga ndugu yangu hadi akalazwa hospitali"
KILLED_LONG_AGO = "Miaka mitano iliyopita polisi walimuua mwanangu"
BEATEN_YEARS_AGO = "Two years ago police beat my brother at Eastleigh station"


@pytest.mark.parametrize(
    ("report", "again"),
    [
        (BRIBES_AT_GIKOMBA, "leo wamekuja tena"),
        (BRIBES_AT_THE_STAGE, "they came again today"),
        (BRIBES_AT_THE_STAGE, "walikuja na gari"),
    ],
)
def test_an_ordinary_update_on_bribes_leaves_the_case_where_it_was_and_tells_of_no_emergency(
    report, again, reported_case, send_sms, runtime, run_jobs
):
    ref = reported_case(report)
    [before] = cases(runtime)

    send_sms(f"{ref} {again}")
    run_jobs()

    [case] = cases(runtime)
    after = report_by_ref(runtime, ref)
    assert (after.urgency, after.possible_emergency) == ("normal", False)
    assert (case.panel.key, case.acknowledge_due_at) == (before.panel.key, before.acknowledge_due_at)
    assert "acknowledgement_critical" not in [message.kind for message in outbound(runtime)]


@pytest.mark.parametrize(
    ("report", "now"),
    [
        (BRIBES_AT_GIKOMBA, "wamerudi sasa hivi wanampiga"),
        (BEATEN_LAST_YEAR, "wamerudi sasa hivi wanampiga"),
        (KILLED_LONG_AGO, "wamerudi sasa hivi wanampiga"),
        (BEATEN_YEARS_AGO, "they are back now beating him"),
    ],
)
def test_danger_now_makes_the_case_critical_whatever_the_report_told_of(
    report, now, reported_case, send_sms, runtime, run_jobs
):
    ref = reported_case(report)
    assert report_by_ref(runtime, ref).urgency != "critical", "the report no longer reads as past harm"

    send_sms(f"{ref} {now}")
    run_jobs()

    [case] = cases(runtime)
    assert report_by_ref(runtime, ref).urgency == "critical"
    assert case.panel.key == "emergency-desk"
    assert [message.kind for message in outbound(runtime)] == ["acknowledgement_critical"]


def lowered_by_its_panel(ref: str, runtime, client, make_user, api_token) -> None:
    [case] = cases(runtime)
    lead = {"Authorization": f"Bearer {api_token(make_user('panel_lead', (case.panel.key,)))}"}
    answer = client.post(
        f"/api/v1/cases/{ref}/actions", json={"action": "reclassify", "urgency": "normal"}, headers=lead
    )
    assert answer.status_code == 200, answer.json


def test_a_follow_up_telling_nothing_new_keeps_the_urgency_a_panel_lowered(
    reported_case, send_sms, runtime, run_jobs, client, make_user, api_token
):
    ref = reported_case(BEATEN_LAST_YEAR)
    lowered_by_its_panel(ref, runtime, client, make_user, api_token)

    send_sms(f"{ref} walikuja tena jana")
    run_jobs()

    assert report_by_ref(runtime, ref).urgency == "normal"


def test_danger_now_raises_a_case_its_panel_lowered(
    reported_case, send_sms, runtime, run_jobs, client, make_user, api_token
):
    ref = reported_case(BEATEN_LAST_YEAR)
    lowered_by_its_panel(ref, runtime, client, make_user, api_token)

    send_sms(f"{ref} wamerudi sasa hivi wanampiga")
    run_jobs()

    assert report_by_ref(runtime, ref).urgency == "critical"
