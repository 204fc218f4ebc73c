"""The way back to the queue keeps what the person was looking at: from a case, after
switching language, and from a page past the end."""

from __future__ import annotations

import re

from tests.fixtures.staff import csrf_token_of

FILTERED = "/panel/?q=hongo&urgency=normal&page=1"


def _back_link(page: str) -> str:
    match = re.search(r'<a href="([^"]*)">← Queue</a>', page)
    assert match, "the case page has no way back to the queue"
    return match.group(1).replace("&amp;", "&")


def test_the_way_back_from_a_case_keeps_the_search_filters_and_page(reported_case, make_user, auth, client):
    ref = reported_case()
    auth.sign_in(make_user())
    client.get(FILTERED)

    case_page = client.get(f"/panel/cases/{ref}").get_data(as_text=True)

    assert _back_link(case_page) == FILTERED


def test_switching_language_stays_on_the_filtered_queue(reported_case, make_user, auth, client):
    reported_case()
    auth.sign_in(make_user())
    page = client.get(FILTERED).get_data(as_text=True)
    next_field = re.search(r'name="next" value="([^"]*)"', page).group(1).replace("&amp;", "&")

    response = client.post(
        "/language", data={"language": "sw", "next": next_field, "csrf_token": csrf_token_of(page)}
    )

    assert response.headers["Location"] == FILTERED


def test_a_page_past_the_end_of_the_queue_shows_the_last_page(reported_case, make_user, auth, client):
    ref = reported_case()
    auth.sign_in(make_user())

    response = client.get("/panel/?q=hongo&page=99")
    last = client.get(response.headers["Location"]).get_data(as_text=True)

    assert response.status_code == 302
    assert response.headers["Location"] == "/panel/?q=hongo&page=1"
    assert ref in last


def test_the_ward_filter_offers_the_wards_and_matches_in_any_case(reported_case, make_user, auth, client):
    ref = reported_case("Polisi walimkamata kijana wangu jana Eastleigh North na hawajamwachilia")
    auth.sign_in(make_user())

    page = client.get("/panel/?ward=eastleigh+north&status=all").get_data(as_text=True)

    assert '<option value="Eastleigh North" selected>' in page
    assert ref in page
