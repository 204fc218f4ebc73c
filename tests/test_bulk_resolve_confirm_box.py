"""The queue's bulk resolve has its own confirmation box for cases whose reporter was never
answered, and no outcome chosen for the lead."""

from __future__ import annotations

from tests.helpers import report_by_ref


def test_the_bulk_bar_has_a_confirm_box_and_no_preset_outcome(reported_case, make_user, auth, client):
    reported_case()
    auth.sign_in(make_user("panel_lead"))

    page = client.get("/panel/").get_data(as_text=True)

    assert 'id="bulk-confirm" name="confirm" value="1"' in page
    assert '<select id="bulk-outcome" name="outcome"><option value="">' in page


def test_ticking_the_box_resolves_cases_nobody_answered_in_bulk(reported_case, make_user, auth, runtime):
    ref = reported_case()
    auth.sign_in(make_user("panel_lead"))

    auth.post(
        "/panel/bulk",
        {"action": "resolve", "outcome": "referred", "confirm": "1", "refs": ref},
        page="/panel/",
    )

    assert report_by_ref(runtime, ref).case.status == "resolved"
