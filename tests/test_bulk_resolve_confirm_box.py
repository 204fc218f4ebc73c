"""The queue's bulk resolve has its own confirmation box for cases whose reporter was never
answered, and no outcome chosen for the lead (what the box does: test_resolving_a_case_nobody_answered)."""

from __future__ import annotations


def test_the_bulk_bar_has_a_confirm_box_and_no_preset_outcome(reported_case, make_user, auth, client):
    reported_case()
    auth.sign_in(make_user("panel_lead"))

    page = client.get("/panel/").get_data(as_text=True)

    assert 'id="bulk-confirm" name="confirm" value="1"' in page
    assert '<select id="bulk-outcome" name="outcome"><option value="">' in page
