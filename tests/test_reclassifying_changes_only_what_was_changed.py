"""The Reclassify form changes only what the person changed on it: a value left as the page drew
it never undoes a colleague's change made since, and a value changed from one the case no
longer has is refused with the case drawn again as it now is."""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser

from flask.testing import FlaskClient

from tests.fixtures.staff import AuthActions
from tests.helpers import report_by_ref

EXTORTION = "Askari wanaitisha hongo kila siku sokoni Gikomba"


class FormReader(HTMLParser):
    """The values one form of a page posts as a browser would: its hidden inputs and the
    option each list shows chosen."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.select = form_id, False, ""
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = found.get("id") == self.form_id
        elif self.inside and tag == "input" and found.get("type") == "hidden":
            self.values[found["name"]] = found.get("value", "")
        elif self.inside and tag == "select":
            self.select = found["name"]
        elif self.inside and tag == "option" and ("selected" in found or self.select not in self.values):
            self.values[self.select] = found["value"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def reclassify_form(client: FlaskClient, ref: str) -> dict[str, str]:
    reader = FormReader("action-reclassify")
    reader.feed(client.get(f"/panel/cases/{ref}").get_data(as_text=True))
    return reader.values


def colleague_sets(client, api_token, make_user, ref: str, **classification: str) -> None:
    headers = {"Authorization": f"Bearer {api_token(make_user())}"}
    answer = client.post(
        f"/api/v1/cases/{ref}/actions", json={"action": "reclassify", **classification}, headers=headers
    )
    assert answer.status_code == 200, answer.json


def classification(runtime, ref: str) -> tuple[str | None, str | None]:
    report = report_by_ref(runtime, ref)
    return report.category, report.urgency


def test_changing_the_category_on_an_old_page_keeps_a_colleagues_new_urgency(
    reported_case, make_user, auth: AuthActions, client, api_token, runtime
):
    ref = reported_case(EXTORTION)
    auth.sign_in(make_user())
    form = reclassify_form(client, ref)
    assert (form["category"], form["urgency"]) == ("extortion_harassment", "normal")
    colleague_sets(client, api_token, make_user, ref, urgency="high")

    answer = client.post(f"/panel/cases/{ref}/reclassify", data={**form, "category": "violence_abuse"})

    assert answer.status_code == 303
    assert classification(runtime, ref) == ("violence_abuse", "high")


def test_changing_what_a_colleague_changed_meanwhile_is_refused_with_the_case_as_it_is_now(
    reported_case, make_user, auth: AuthActions, client, api_token, runtime
):
    ref = reported_case(EXTORTION)
    auth.sign_in(make_user())
    form = reclassify_form(client, ref)
    colleague_sets(client, api_token, make_user, ref, urgency="high")

    answer = client.post(f"/panel/cases/{ref}/reclassify", data={**form, "urgency": "low"})

    page = unescape(answer.get_data(as_text=True))
    assert answer.status_code == 409
    assert "someone changed the urgency to high after you opened the case" in page
    assert classification(runtime, ref) == ("extortion_harassment", "high")
    assert 'name="from_urgency" value="high"' in page


def test_the_api_changes_what_it_is_sent_unless_it_was_read_before_a_change(
    reported_case, make_user, client, api_token, runtime
):
    ref = reported_case(EXTORTION)
    headers = {"Authorization": f"Bearer {api_token(make_user())}"}
    colleague_sets(client, api_token, make_user, ref, urgency="high")

    stale = client.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "reclassify", "urgency": "low", "from_urgency": "normal"},
        headers=headers,
    )
    fresh = client.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "reclassify", "category": "violence_abuse", "from_urgency": "normal"},
        headers=headers,
    )

    assert stale.status_code == 409
    assert "someone changed the urgency to high" in stale.json["detail"]
    assert fresh.status_code == 200
    assert classification(runtime, ref) == ("violence_abuse", "high")
